package geo

// SizeClass is a commune size class by population, as the matching engine and
// the dashboards use it ("communes of the same size"). The order of the
// constants is the order of the classes, smallest first.
type SizeClass uint8

// The size classes. The zero SizeClass is none of them.
const (
	SizeUnder500   SizeClass = iota + 1 // fewer than 500 inhabitants
	SizeUnder3500                       // 500 to 3,499
	SizeUnder10000                      // 3,500 to 9,999
	SizeUnder50000                      // 10,000 to 49,999
	Size50000Plus                       // 50,000 and more
)

// sizeClasses holds the identifier, label and upper bound (exclusive) of each
// class, indexed by SizeClass.
var sizeClasses = [...]struct {
	id, label string
	below     int
}{
	SizeUnder500:   {"lt500", "Moins de 500 habitants", 500},
	SizeUnder3500:  {"lt3500", "De 500 à 3\u00a0499 habitants", 3500},
	SizeUnder10000: {"lt10000", "De 3\u00a0500 à 9\u00a0999 habitants", 10000},
	SizeUnder50000: {"lt50000", "De 10\u00a0000 à 49\u00a0999 habitants", 50000},
	Size50000Plus:  {"gte50000", "50\u00a0000 habitants et plus", 0},
}

// SizeClassOf returns the class of a commune of the given population.
// Negative populations count as 0.
func SizeClassOf(population int) SizeClass {
	for c := SizeUnder500; c < Size50000Plus; c++ {
		if population < sizeClasses[c].below {
			return c
		}
	}
	return Size50000Plus
}

// SizeClasses returns every class, smallest first, for pickers and reports.
func SizeClasses() []SizeClass {
	return []SizeClass{SizeUnder500, SizeUnder3500, SizeUnder10000, SizeUnder50000, Size50000Plus}
}

// String returns the class's stable identifier ("lt500", "lt3500",
// "lt10000", "lt50000", "gte50000"), fit for storage, URLs and exports.
// It returns "" for the zero or an unknown class.
func (c SizeClass) String() string {
	if !c.valid() {
		return ""
	}
	return sizeClasses[c].id
}

// Label returns the French label of the class, such as "Moins de 500
// habitants", with no-break spaces in the numbers.
func (c SizeClass) Label() string {
	if !c.valid() {
		return ""
	}
	return sizeClasses[c].label
}

// ParseSizeClass returns the class with the given identifier, as returned by
// String.
func ParseSizeClass(id string) (SizeClass, bool) {
	for _, c := range SizeClasses() {
		if sizeClasses[c].id == id {
			return c, true
		}
	}
	return 0, false
}

func (c SizeClass) valid() bool { return c >= SizeUnder500 && c <= Size50000Plus }
