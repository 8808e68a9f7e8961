package intake

import (
	"regexp"
	"strings"

	"ventanilla/app/verifycode"
)

var (
	// A prefixed code: "V-7K4Q9A", "v 7k4q9a", "V7K4Q9A", as a token of its own.
	prefixedCodeRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_])(v[ \-–.]{0,2}[a-z0-9]{6})(?:$|[^\p{L}\p{N}_])`)
	// A bare body after a word that announces it: "código 7K4Q9A", "verificar: 7k4q9a".
	announcedCodeRE = regexp.MustCompile(`(?i)(?:verificar|verificación|verificacion|código|codigo|code)(?:\s+es)?\s*[:\-]?\s*([a-z0-9]{6})(?:$|[^\p{L}\p{N}_])`)
	// A bare body that is the whole message.
	bareCodeRE = regexp.MustCompile(`(?i)^\s*([a-z0-9]{6})\s*[.!]?\s*$`)
)

// VerificationCode finds a one-time verification code (see package verifycode) in a message
// and returns it in canonical form. It accepts the code with its prefix anywhere in the text
// ("VERIFICAR V-7K4Q9A", "mi código es v7k4q9a"), and without the prefix only when a word
// announces it ("código 7K4Q9A") or when it is the whole message, so that ordinary six-letter
// words are never read as codes. Whether the code was issued, to whom and whether it has
// expired is for the caller to check.
func VerificationCode(text string) (string, bool) {
	for _, m := range prefixedCodeRE.FindAllStringSubmatch(text, -1) {
		if code, ok := verifycode.Normalize(m[1]); ok {
			return code, true
		}
	}
	for _, m := range announcedCodeRE.FindAllStringSubmatch(text, -1) {
		if code, ok := verifycode.Normalize("V" + m[1]); ok {
			return code, true
		}
	}
	if m := bareCodeRE.FindStringSubmatch(text); m != nil {
		if code, ok := verifycode.Normalize("V" + strings.TrimSpace(m[1])); ok {
			return code, true
		}
	}
	return "", false
}
