package kiosk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme is the kiosk's look: the default theme's light variant with every size multiplied by
// Scale (large type and touch targets), and, with HighContrast, white on black with yellow
// accents. Set it before building widgets, or list rows keep their old height.
type Theme struct {
	Scale        float32
	HighContrast bool
}

var _ fyne.Theme = (*Theme)(nil)

func (t *Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if !t.HighContrast {
		switch n {
		case theme.ColorNameBackground:
			return color.NRGBA{0xf7, 0xf5, 0xf0, 0xff}
		case theme.ColorNamePrimary:
			return color.NRGBA{0x0b, 0x4f, 0x8a, 0xff}
		case theme.ColorNameButton:
			return color.NRGBA{0xff, 0xff, 0xff, 0xff}
		case theme.ColorNameInputBackground:
			return color.White
		case theme.ColorNameForeground:
			return color.NRGBA{0x11, 0x11, 0x11, 0xff}
		case theme.ColorNamePlaceHolder:
			return color.NRGBA{0x70, 0x70, 0x70, 0xff}
		}
		return theme.DefaultTheme().Color(n, theme.VariantLight)
	}
	yellow := color.NRGBA{0xff, 0xe0, 0x00, 0xff}
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground, theme.ColorNameMenuBackground:
		return color.Black
	case theme.ColorNameForeground, theme.ColorNameForegroundOnPrimary:
		if n == theme.ColorNameForegroundOnPrimary {
			return color.Black
		}
		return color.White
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink, theme.ColorNameSelection:
		return yellow
	case theme.ColorNameButton, theme.ColorNameHeaderBackground:
		return color.NRGBA{0x1a, 0x1a, 0x1a, 0xff}
	case theme.ColorNameInputBorder, theme.ColorNameSeparator:
		return color.White
	case theme.ColorNamePlaceHolder, theme.ColorNameDisabled:
		return color.NRGBA{0xc0, 0xc0, 0xc0, 0xff}
	case theme.ColorNameHover, theme.ColorNamePressed:
		return color.NRGBA{0x44, 0x44, 0x00, 0xff}
	}
	return theme.DefaultTheme().Color(n, theme.VariantDark)
}

func (t *Theme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Scale
	if s <= 0 {
		s = 1
	}
	return theme.DefaultTheme().Size(n) * s
}
