package notify

// SMS length, as networks (and GOV.UK Notify) count it. A text in the GSM
// 03.38 alphabet takes 7 bits a character: 160 in one message, 153 a part
// when split (the rest carries the join). Its extension characters
// (^{}\[~]|€ and form feed) take two. Any other character makes the whole
// text UCS-2: 70 in one message, 67 a part.

const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

const gsmExtended = "^{}\\[~]|€\f"

var gsmWidth = func() map[rune]int {
	m := map[rune]int{}
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExtended {
		m[r] = 2
	}
	return m
}()

// SMSLength is how an SMS text is counted: its encoding, its length in
// that encoding's units, and how many messages (fragments) it takes.
type SMSLength struct {
	Unicode   bool // UCS-2: a character outside the GSM alphabet
	Units     int  // septets (GSM) or UTF-16 code units (UCS-2)
	Fragments int
}

// CountSMS counts text as an SMS.
func CountSMS(text string) SMSLength {
	gsm, units := 0, 0
	unicode := false
	for _, r := range text {
		units++
		if r > 0xFFFF {
			units++ // a UTF-16 surrogate pair: two UCS-2 characters
		}
		w, ok := gsmWidth[r]
		if !ok {
			unicode = true
			w = 1
		}
		gsm += w
	}
	if !unicode {
		units = gsm
	}
	single, part := 160, 153
	if unicode {
		single, part = 70, 67
	}
	n := 1
	if units > single {
		n = (units + part - 1) / part
	}
	return SMSLength{Unicode: unicode, Units: units, Fragments: n}
}
