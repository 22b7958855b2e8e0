// Package accessibility_test walks every page of the demo data as every role
// in Chromium and checks it with axe-core (WCAG 2.2 AA), at 320 px, with the
// keyboard, and follows its links. It has a package of its own so that this
// long walk runs beside the application's other tests, not after them.
package accessibility_test

import (
	"testing"

	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
