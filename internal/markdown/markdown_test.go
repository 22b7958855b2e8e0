package markdown_test

import (
	"strings"
	"testing"

	"vivier/internal/markdown"
)

func TestRenderKeepsProseAndDropsWhatRuns(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		want      []string
		forbidden []string
	}{
		{"emphasis and lists", "Le **forum** aura lieu :\n\n- à Lyon\n- le 25 novembre", []string{"<strong>forum</strong>", "<li>à Lyon</li>"}, nil},
		{"link kept", "[le programme](https://federation.example.fr/forum)", []string{`href="https://federation.example.fr/forum"`}, nil},
		{"javascript link dropped", "[clic](javascript:alert(1))", nil, []string{"javascript:"}},
		{"raw script dropped", "Bonjour <script>alert(1)</script>", []string{"Bonjour"}, []string{"<script", "alert(1)</script>"}},
		{"event handler dropped", `<img src="x" onerror="alert(1)">`, nil, []string{"onerror"}},
		{"inline style dropped", `<p style="position:fixed">x</p>`, nil, []string{"style="}},
		{"table kept", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := markdown.Render(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(string(got), f) {
					t.Errorf("%q holds %q", got, f)
				}
			}
		})
	}
}

func TestTextKeepsParagraphsAndNoMarks(t *testing.T) {
	got, err := markdown.Text("# Lettre n° 12\n\nLe **forum** & ses ateliers.\n\n- un\n- deux")
	if err != nil {
		t.Fatal(err)
	}
	want := "Lettre n° 12\n\nLe forum & ses ateliers.\n\nun\ndeux"
	if got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}
