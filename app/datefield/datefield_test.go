package datefield

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name             string
		day, month, year string
		want             string
	}{
		{"plain numbers", "15", "3", "2024", "2024-03-15"},
		{"leading zeros", "05", "03", "2024", "2024-03-05"},
		{"extra leading zeros", "005", "003", "2024", "2024-03-05"},
		{"surrounding spaces", " 5 ", " 3 ", " 2024 ", "2024-03-05"},
		{"ordinal st", "1st", "1", "2024", "2024-01-01"},
		{"ordinal nd", "22nd", "2", "2024", "2024-02-22"},
		{"ordinal rd upper case", "3RD", "3", "2024", "2024-03-03"},
		{"ordinal th", "29th", "2", "2024", "2024-02-29"},
		{"leap day", "29", "2", "2000", "2000-02-29"},
		{"month name", "1", "March", "2024", "2024-03-01"},
		{"month name lower case", "1", "december", "2023", "2023-12-01"},
		{"month abbreviation", "1", "Jan", "2024", "2024-01-01"},
		{"abbreviation with full stop", "1", "Feb.", "2024", "2024-02-01"},
		{"sept", "30", "Sept", "2024", "2024-09-30"},
		{"sep", "30", "SEP", "2024", "2024-09-30"},
		{"31 December", "31", "12", "2024", "2024-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("Date of birth", tt.day, tt.month, tt.year)
			if err != nil {
				t.Fatalf("Parse(%q, %q, %q) error: %v", tt.day, tt.month, tt.year, err)
			}
			if got.Format(time.DateOnly) != tt.want || got.Location() != time.UTC || got.Hour() != 0 {
				t.Errorf("Parse = %v, want %s at midnight UTC", got, tt.want)
			}
		})
	}
}

func TestParseMessages(t *testing.T) {
	tests := []struct {
		name             string
		label            string
		day, month, year string
		message          string
		parts            []Part
	}{
		// Nothing entered.
		{"nothing", "Date of birth", "", "", "", "Enter the date of birth", []Part{Day, Month, Year}},
		{"only spaces", "Date of birth", " ", "\t", "", "Enter the date of birth", []Part{Day, Month, Year}},
		{"abbreviation kept", "EEG request date", "", "", "", "Enter the EEG request date", []Part{Day, Month, Year}},

		// Incomplete.
		{"no day", "Date of birth", "", "3", "2024", "Date of birth must include a day", []Part{Day}},
		{"no month", "Date of birth", "15", "", "2024", "Date of birth must include a month", []Part{Month}},
		{"no year", "Date of birth", "15", "3", "", "Date of birth must include a year", []Part{Year}},
		{"no day or month", "Date of birth", "", "", "2024", "Date of birth must include a day and month", []Part{Day, Month}},
		{"no day or year", "Date of birth", "", "3", "", "Date of birth must include a day and year", []Part{Day, Year}},
		{"no month or year", "Date of birth", "15", "", "", "Date of birth must include a month and year", []Part{Month, Year}},
		{"two-digit year", "Date of birth", "15", "3", "24", "Date of birth must include a year with 4 numbers", []Part{Year}},
		{"five-digit year", "Date of birth", "15", "3", "20245", "Date of birth must include a year with 4 numbers", []Part{Year}},
		{"missing beats short year", "Date of birth", "", "3", "24", "Date of birth must include a day", []Part{Day}},

		// Cannot be right.
		{"day 0", "Date of birth", "0", "3", "2024", "Date of birth must be a real date", []Part{Day}},
		{"day 32", "Date of birth", "32", "3", "2024", "Date of birth must be a real date", []Part{Day}},
		{"day with letters", "Date of birth", "1x", "3", "2024", "Date of birth must be a real date", []Part{Day}},
		{"day negative", "Date of birth", "-1", "3", "2024", "Date of birth must be a real date", []Part{Day}},
		{"day decimal", "Date of birth", "1.5", "3", "2024", "Date of birth must be a real date", []Part{Day}},
		{"day huge", "Date of birth", "99999999999999999999", "3", "2024", "Date of birth must be a real date", []Part{Day}},
		{"month 13", "Date of birth", "15", "13", "2024", "Date of birth must be a real date", []Part{Month}},
		{"month 0", "Date of birth", "15", "0", "2024", "Date of birth must be a real date", []Part{Month}},
		{"month misspelt", "Date of birth", "15", "Marhc", "2024", "Date of birth must be a real date", []Part{Month}},
		{"month ordinal", "Date of birth", "15", "3rd", "2024", "Date of birth must be a real date", []Part{Month}},
		{"year with letters", "Date of birth", "15", "3", "20a4", "Date of birth must be a real date", []Part{Year}},
		{"year 0999", "Date of birth", "15", "3", "0999", "Date of birth must be a real date", []Part{Year}},
		{"day and month wrong", "Date of birth", "40", "13", "2024", "Date of birth must be a real date", []Part{Day, Month}},
		{"30 February", "Date of birth", "30", "2", "2024", "Date of birth must be a real date", []Part{Day, Month, Year}},
		{"29 February, not a leap year", "Date of birth", "29", "2", "2023", "Date of birth must be a real date", []Part{Day, Month, Year}},
		{"29 February 1900", "Date of birth", "29", "2", "1900", "Date of birth must be a real date", []Part{Day, Month, Year}},
		{"31 April", "Seizure onset date", "31", "4", "2024", "Seizure onset date must be a real date", []Part{Day, Month, Year}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.label, tt.day, tt.month, tt.year)
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("Parse(%q, %q, %q) error = %v, want *Error", tt.day, tt.month, tt.year, err)
			}
			if fe.Message != tt.message {
				t.Errorf("message = %q, want %q", fe.Message, tt.message)
			}
			if !slices.Equal(fe.Parts, tt.parts) {
				t.Errorf("parts = %v, want %v", fe.Parts, tt.parts)
			}
		})
	}
}

func TestIsBlank(t *testing.T) {
	if !IsBlank("", " ", "\t") {
		t.Error("blank inputs not blank")
	}
	if IsBlank("", "", "2024") {
		t.Error("a year alone counted as blank")
	}
}

func TestFormat(t *testing.T) {
	if got := Format(date("2021-05-03")); got != "3 May 2021" {
		t.Errorf("Format = %q", got)
	}
}

func TestLowerFirst(t *testing.T) {
	tests := map[string]string{
		"Date of birth":                    "date of birth",
		"EEG request date":                 "EEG request date",
		"MRI brain reported date":          "MRI brain reported date",
		"First paediatric assessment date": "first paediatric assessment date",
		"":                                 "",
		"X":                                "x",
	}
	for in, want := range tests {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("15", "3", "2024")
	f.Add("31st", "sept.", "1999")
	f.Add("", "", "")
	f.Add("\xff", "ß", "٢٠٢٤")
	f.Fuzz(func(t *testing.T, day, month, year string) {
		got, err := Parse("Date", day, month, year)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || fe.Message == "" || len(fe.Parts) == 0 {
				t.Fatalf("Parse(%q, %q, %q): bad error %#v", day, month, year, err)
			}
			return
		}
		// Anything accepted reads back as the same date from plain numbers.
		again, err := Parse("Date", got.Format("2"), got.Format("1"), got.Format("2006"))
		if err != nil || !again.Equal(got) {
			t.Fatalf("Parse(%q, %q, %q) = %v, but its own numbers give %v, %v", day, month, year, got, again, err)
		}
	})
}
