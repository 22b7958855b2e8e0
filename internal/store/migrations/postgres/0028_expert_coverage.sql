-- The zone filter of the expert list (package expert) as one indexed
-- lookup, whether it names a département or a region:
--   expert_coverage  the areas each expert accepts to work in: a zone
--                    département also covers its region (the expert can
--                    work somewhere in it), a zone region also covers each
--                    of its départements, 'national' stays one row. The
--                    filter 'dep:69' is then area IN ('dep:69', 'national'),
--                    'reg:84' area IN ('reg:84', 'national'). Written by the
--                    expert package with the zones, on every save.
CREATE TABLE expert_coverage (
    expert_id BIGINT NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    PRIMARY KEY (expert_id, area)
);
CREATE INDEX expert_coverage_area ON expert_coverage (area, expert_id);

-- The coverage of the zones already stored; the départements and their
-- regions are those of the geography reference (internal/geo).
WITH deps (dep, reg) AS (VALUES
    ('01', '84'), ('02', '32'), ('03', '84'), ('04', '93'), ('05', '93'), ('06', '93'), ('07', '84'), ('08', '44'),
    ('09', '76'), ('10', '44'), ('11', '76'), ('12', '76'), ('13', '93'), ('14', '28'), ('15', '84'), ('16', '75'),
    ('17', '75'), ('18', '24'), ('19', '75'), ('2A', '94'), ('2B', '94'), ('21', '27'), ('22', '53'), ('23', '75'),
    ('24', '75'), ('25', '27'), ('26', '84'), ('27', '28'), ('28', '24'), ('29', '53'), ('30', '76'), ('31', '76'),
    ('32', '76'), ('33', '75'), ('34', '76'), ('35', '53'), ('36', '24'), ('37', '24'), ('38', '84'), ('39', '27'),
    ('40', '75'), ('41', '24'), ('42', '84'), ('43', '84'), ('44', '52'), ('45', '24'), ('46', '76'), ('47', '75'),
    ('48', '76'), ('49', '52'), ('50', '28'), ('51', '44'), ('52', '44'), ('53', '52'), ('54', '44'), ('55', '44'),
    ('56', '53'), ('57', '44'), ('58', '27'), ('59', '32'), ('60', '32'), ('61', '28'), ('62', '32'), ('63', '84'),
    ('64', '75'), ('65', '76'), ('66', '76'), ('67', '44'), ('68', '44'), ('69', '84'), ('70', '27'), ('71', '27'),
    ('72', '52'), ('73', '84'), ('74', '84'), ('75', '11'), ('76', '28'), ('77', '11'), ('78', '11'), ('79', '75'),
    ('80', '32'), ('81', '76'), ('82', '76'), ('83', '93'), ('84', '93'), ('85', '52'), ('86', '75'), ('87', '75'),
    ('88', '44'), ('89', '27'), ('90', '27'), ('91', '11'), ('92', '11'), ('93', '11'), ('94', '11'), ('95', '11'),
    ('971', '01'), ('972', '02'), ('973', '03'), ('974', '04'), ('975', '975'), ('976', '06'), ('977', '977'), ('978', '978'),
    ('984', '984'), ('986', '986'), ('987', '987'), ('988', '988'), ('989', '989')
)
INSERT INTO expert_coverage (expert_id, area)
SELECT expert_id, zone FROM expert_zones
UNION SELECT z.expert_id, 'reg:' || d.reg FROM expert_zones z JOIN deps d ON z.zone = 'dep:' || d.dep
UNION SELECT z.expert_id, 'dep:' || d.dep FROM expert_zones z JOIN deps d ON z.zone = 'reg:' || d.reg;
