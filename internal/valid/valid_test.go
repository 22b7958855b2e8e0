package valid

import (
	"fmt"
	"testing"
)

func TestErrorsSurviveWrapping(t *testing.T) {
	var errs Errors
	if errs.Err() != nil {
		t.Fatal("an empty list is no error")
	}
	errs.Add("email", "adresse %s invalide", "x@")
	errs.Add("skills", "niveau 7 inconnu")
	wrapped := fmt.Errorf("create expert: %w", errs.Err())
	got, ok := As(wrapped)
	if !ok || len(got) != 2 || got.For("skills") != "niveau 7 inconnu" || !got.Has("email") || got.Has("bio") {
		t.Fatalf("As(wrapped) = %v, %v", got, ok)
	}
	if _, ok := As(fmt.Errorf("plain")); ok {
		t.Error("a plain error holds no field errors")
	}
}
