package web

import (
	"strings"
	"sync"
	"testing"

	"vivier/internal/geo"
	"vivier/internal/skill"
)

func TestRenderedOptionsEscapeAndMarkTheSelectedValue(t *testing.T) {
	tmpl, err := parseOptionTemplates()
	if err != nil {
		t.Fatal(err)
	}
	groups := []optionGroup{
		{Options: []option{{Value: "national", Label: "Toute la France"}}},
		{Label: `Région "<b>"`, Options: []option{{Value: `a"b`, Label: "Zoé & <i>Cie</i>"}, {Value: "dep:69", Label: "Rhône (69)"}}},
	}
	r := newRenderedOptions(tmpl, groups)
	for _, tc := range []struct {
		name, selected string
		want           []string
		wantNot        []string
	}{
		{name: "nothing selected", selected: "",
			want: []string{`<option value="national">Toute la France</option><optgroup label="Région &#34;&lt;b&gt;&#34;">`,
				`<option value="a&#34;b">Zoé &amp; &lt;i&gt;Cie&lt;/i&gt;</option>`}, wantNot: []string{"selected", "<i>"}},
		{name: "a département", selected: "dep:69", want: []string{`<option value="dep:69" selected>Rhône (69)</option>`}},
		{name: "a value to escape", selected: `a"b`, want: []string{`<option value="a&#34;b" selected>`}},
		{name: "an unknown value selects none", selected: "dep:999", wantNot: []string{"selected"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := r.HTML(tc.selected)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(h), w) {
					t.Errorf("%s lacks %s", h, w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(string(h), w) {
					t.Errorf("%s has %s", h, w)
				}
			}
		})
	}
	if groups[1].Options[1].Selected || r.groups[1].Options[1].Selected {
		t.Error("selecting a value wrote into the shared list")
	}
	if len(r.html) != 3 {
		t.Errorf("%d lists kept, want 3: none, dep:69 and a\"b (an unknown value shares none's)", len(r.html))
	}
}

func TestSkillPickerFollowsTheCatalog(t *testing.T) {
	tmpl, err := parseOptionTemplates()
	if err != nil {
		t.Fatal(err)
	}
	p := &skillPicker{tmpl: tmpl}
	domain := func(label string) []domainSkills {
		return []domainSkills{{Domain: skill.Domain{Code: "filieres", Label: "Filières"}, Skills: []skill.Skill{{Code: "filieres.tourisme", Label: label}}}}
	}
	h, err := p.HTML(domain("Tourisme"), "filieres.tourisme")
	if err != nil || !strings.Contains(string(h), `<optgroup label="Filières"><option value="filieres.tourisme" selected>Tourisme</option></optgroup>`) {
		t.Fatalf("%s, %v", h, err)
	}
	// A renamed skill shows at once.
	if h, _ := p.HTML(domain("Tourisme et loisirs"), ""); !strings.Contains(string(h), ">Tourisme et loisirs</option>") {
		t.Errorf("after a rename: %s", h)
	}
}

func TestNewServerWantsAGeography(t *testing.T) {
	if _, err := NewServer(Deps{}); err == nil {
		t.Error("a server without a geography reference was built")
	}
}

// Requests share the pickers: run with -race.
func TestPickersServeConcurrentRequests(t *testing.T) {
	s, err := NewServer(Deps{Geo: geo.Default()})
	if err != nil {
		t.Fatal(err)
	}
	catalogs := [][]domainSkills{
		{{Domain: skill.Domain{Code: "filieres", Label: "Filières"}, Skills: []skill.Skill{{Code: "filieres.tourisme", Label: "Tourisme"}}}},
		{{Domain: skill.Domain{Code: "filieres", Label: "Filières"}, Skills: []skill.Skill{{Code: "filieres.tourisme", Label: "Tourisme et loisirs"}}}},
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				zone := []string{"", "national", "dep:69", "reg:84", "dep:2A"}[(i+j)%5]
				h, err := s.pickers.zones.HTML(zone)
				if err != nil || (zone != "" && !strings.Contains(string(h), `value="`+zone+`" selected`)) {
					t.Errorf("zone %q: %v", zone, err)
					return
				}
				if _, err := s.pickers.skills.HTML(catalogs[j%2], "filieres.tourisme"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
