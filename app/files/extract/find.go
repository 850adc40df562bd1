package extract

import (
	"regexp"
	"strings"
)

// Proposal is one variant read from a report.
type Proposal struct {
	Gene           string // HGNC symbol, "" when the report names none near it
	Variant        string // c. notation when stated, else p.
	Transcript     string // NM_004992.4
	Protein        string // p.(Thr158Met)
	Classification string // pathogenic, likely_pathogenic, uncertain, likely_benign, benign; "" not stated
	Evidence       string // the line it was read from
}

var (
	transcriptRe = regexp.MustCompile(`\b(N[MCR]_\d{5,9}(?:\.\d{1,3})?)(?:\s*\(([A-Z][A-Z0-9-]{1,9})\))?`)
	// c. notation: a position (intronic and UTR offsets, ranges) and a
	// change: substitution, deletion, duplication, insertion, delins.
	cdnaRe = regexp.MustCompile(`\bc\.\(?([-*]?\d+(?:[+-]\d+)?(?:_[-*]?\d+(?:[+-]\d+)?)?)\)?` +
		`(delins[ACGT]+|del[ACGT]*|dup[ACGT]*|ins[ACGT]+|inv|[ACGT]>[ACGT]|=)`)
	// p. notation, three- or one-letter, with or without the brackets
	// that say it is predicted.
	protRe = regexp.MustCompile(`\bp\.\(?(?:(?:[A-Z][a-z]{2}\d+(?:_[A-Z][a-z]{2}\d+)?` +
		`(?:(?:[A-Z][a-z]{2})+(?:fs(?:Ter|\*)?\d*|\*\d+|extTer\d+)?|Ter|\*|=|\?|fs(?:Ter|\*)?\d*|del|dup|delins(?:[A-Z][a-z]{2})+|ins(?:[A-Z][a-z]{2})+))` +
		`|(?:[ACDEFGHIKLMNPQRSTVWY]\d+(?:[ACDEFGHIKLMNPQRSTVWY]|X|\*|=|fs\*?\d*|del|dup)))\)?`)
	oneLetterProtein = regexp.MustCompile(`^[ACDEFGHIKLMNPQRSTVWY]\d+[A-Z]?$`)
	symbolRe         = regexp.MustCompile(`\b[A-Z][A-Z0-9]{1,6}(?:-[A-Z0-9]{1,4})?\b`)
	geneLabelRe      = regexp.MustCompile(`(?i)\bgene(?:s)?(?:\s+tested|\s+name|\s+symbol)?\s*[:=]\s*([A-Z][A-Z0-9-]{1,9})\b`)
)

// knownTranscripts name the gene of the registry genes' reference
// transcripts, for reports that give only the transcript.
var knownTranscripts = map[string]string{
	"NM_004992": "MECP2", "NM_001110792": "MECP2", "NM_003159": "CDKL5", "NM_001323289": "CDKL5",
	"NM_005249": "FOXG1", "NM_002397": "MEF2C", "NM_001131005": "MEF2C", "NM_003165": "STXBP1", "NM_001032221": "STXBP1",
}

// notGenes are capitalised words reports use that look like gene symbols.
var notGenes = map[string]bool{
	"DNA": true, "RNA": true, "PCR": true, "NGS": true, "MLPA": true, "NHS": true, "HGVS": true, "ACMG": true, "VUS": true,
	"UK": true, "ID": true, "DOB": true, "NM": true, "NC": true, "NR": true, "GRCH37": true, "GRCH38": true, "HG19": true,
	"HG38": true, "CNV": true, "SNV": true, "WES": true, "WGS": true, "LAB": true, "REF": true, "MRN": true, "NHSNO": true,
	"TEST": true, "GENE": true, "RESULT": true, "RESULTS": true, "REPORT": true, "VARIANT": true, "CLASS": true, "PANEL": true,
	"NOTE": true, "SEX": true, "FEMALE": true, "MALE": true, "XL": true, "AD": true, "AR": true, "HET": true, "HOM": true,
	"HEMI": true, "OMIM": true, "CLINVAR": true, "GNOMAD": true, "EXON": true, "INTRON": true, "ZYGOSITY": true, "TO": true,
	"OF": true, "AND": true, "THE": true, "IN": true, "NO": true, "NOT": true, "FOR": true, "BY": true, "ON": true, "DR": true,
	"MR": true, "MRS": true, "MS": true, "GP": true, "QC": true, "SOP": true, "ISO": true, "UKAS": true, "CPA": true, "PDF": true,
	"PM2": true, "PS2": true, "PS3": true, "PP3": true, "PVS1": true, "PM1": true, "PP5": true, "BA1": true, "BS1": true,
	"CHR": true, "CHRX": true, "HGNC": true, "NCBI": true, "LRG": true, "ENST": true, "II": true, "III": true, "IV": true,
}

// classifications in the order they are tried: the longer phrase before
// the shorter it contains ("likely pathogenic" before "pathogenic").
var classifications = []struct {
	code string
	re   *regexp.Regexp
}{
	{"likely_pathogenic", regexp.MustCompile(`(?i)\blikely[\s-]+pathogenic\b|\bclass\s*4\b|\bLP\b`)},
	{"likely_benign", regexp.MustCompile(`(?i)\blikely[\s-]+benign\b|\bclass\s*2\b|\bLB\b`)},
	{"uncertain", regexp.MustCompile(`(?i)uncertain\s+(?:clinical\s+)?significance|\bVUS\b|\bclass\s*3\b|\bunknown\s+significance\b`)},
	{"pathogenic", regexp.MustCompile(`(?i)\bpathogenic\b|\bclass\s*5\b|\bdisease[\s-]causing\b`)},
	{"benign", regexp.MustCompile(`(?i)\bbenign\b|\bclass\s*1\b`)},
}

// negated are phrases that say a classification does not apply.
var negated = regexp.MustCompile(`(?i)\bno\s+(?:likely\s+)?pathogenic\b|\bnot\s+(?:be\s+)?(?:likely\s+)?pathogenic\b|\bnon[\s-]pathogenic\b|\bno\s+(?:other\s+)?(?:clinically\s+)?significant\b`)

func classify(line string) string {
	line = negated.ReplaceAllString(line, " ")
	for _, c := range classifications {
		if c.re.MatchString(line) {
			return c.code
		}
	}
	return ""
}

// Find reads the variants a report states. A variant is a c. (or, alone,
// a p.) notation; its gene is the transcript's (NM_004992.4(MECP2), or a
// registry gene's known transcript), else the nearest gene symbol before
// it on its line, else the report's "Gene:" field, else the only symbol
// the report names near variants; its classification is the one stated
// on its line, else on the next lines up to the next variant (a table
// row wrapped, a paragraph after a heading), else in the line before.
// Each variant is proposed once, however often the report repeats it.
func Find(text string) []Proposal {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	reportGene := ""
	for _, l := range lines {
		if m := geneLabelRe.FindStringSubmatch(l); m != nil && !notGenes[strings.ToUpper(m[1])] {
			reportGene = m[1]
			break
		}
	}
	var out []Proposal
	seen := map[string]int{}
	hasVariant := make([]bool, len(lines))
	for i, l := range lines {
		hasVariant[i] = cdnaRe.MatchString(l) || protRe.MatchString(l)
	}
	for i, l := range lines {
		if !hasVariant[i] {
			continue
		}
		cs := cdnaRe.FindAllStringIndex(l, -1)
		ps := protRe.FindAllStringIndex(l, -1)
		type hit struct{ start, end int }
		var hits []hit
		for _, c := range cs {
			hits = append(hits, hit{c[0], c[1]})
		}
		if len(cs) == 0 {
			for _, p := range ps {
				hits = append(hits, hit{p[0], p[1]})
			}
		}
		for k, h := range hits {
			segEnd := len(l)
			if k+1 < len(hits) {
				segEnd = hits[k+1].start
			}
			segStart := 0
			if k > 0 {
				segStart = hits[k-1].end
			}
			p := Proposal{Variant: l[h.start:h.end], Evidence: strings.TrimSpace(l)}
			if len(cs) > 0 {
				if pm := protRe.FindString(l[h.end:segEnd]); pm != "" {
					p.Protein = pm
				}
			}
			// The transcript: just before the variant, else anywhere on the line.
			if tm := lastMatch(transcriptRe, l[segStart:h.start]); tm != nil {
				p.Transcript, p.Gene = tm[1], tm[2]
			} else if tm := transcriptRe.FindStringSubmatch(l); tm != nil {
				p.Transcript, p.Gene = tm[1], tm[2]
			}
			if p.Gene == "" && p.Transcript != "" {
				p.Gene = knownTranscripts[strings.SplitN(p.Transcript, ".", 2)[0]]
			}
			if p.Gene == "" {
				p.Gene = nearestSymbol(l[:h.start])
			}
			if p.Gene == "" {
				p.Gene = reportGene
			}
			if p.Gene == "" {
				p.Gene = nearestSymbol(l[h.end:segEnd])
			}
			p.Classification = classify(l[segStart:segEnd])
			if p.Classification == "" && len(hits) == 1 {
				p.Classification = classify(l)
			}
			for j := i + 1; p.Classification == "" && j < len(lines) && j <= i+3 && !hasVariant[j]; j++ {
				p.Classification = classify(lines[j])
			}
			if p.Classification == "" && i > 0 && !hasVariant[i-1] {
				p.Classification = classify(lines[i-1])
			}
			key := p.Gene + " " + p.Variant
			if at, ok := seen[key]; ok {
				// Repeated (a summary, then the table): keep what either says.
				if out[at].Classification == "" {
					out[at].Classification = p.Classification
				}
				if out[at].Protein == "" {
					out[at].Protein = p.Protein
				}
				continue
			}
			if p.Protein != "" && len(cs) > 0 {
				if _, ok := seen[p.Gene+" "+p.Protein]; ok {
					continue
				}
			}
			seen[key] = len(out)
			out = append(out, p)
		}
	}
	// A p. proposed alone and then found beside its c. elsewhere is the
	// same variant: drop the lone one.
	var kept []Proposal
	for _, p := range out {
		dup := false
		if strings.HasPrefix(p.Variant, "p.") {
			for _, q := range out {
				if q.Protein == p.Variant && q.Gene == p.Gene {
					dup = true
				}
			}
		}
		if !dup {
			kept = append(kept, p)
		}
	}
	return kept
}

func lastMatch(re *regexp.Regexp, s string) []string {
	all := re.FindAllStringSubmatch(s, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// nearestSymbol is the last gene-like symbol in s.
func nearestSymbol(s string) string {
	all := symbolRe.FindAllString(s, -1)
	for i := len(all) - 1; i >= 0; i-- {
		w := all[i]
		if !notGenes[w] && !strings.HasPrefix(w, "NM") && !isClassWord(w) && hasLetterAndDigitOrLong(w) && !oneLetterProtein.MatchString(w) {
			return w
		}
	}
	return ""
}

func isClassWord(w string) bool {
	switch w {
	case "LP", "LB", "P", "B", "VUS":
		return true
	}
	return false
}

// hasLetterAndDigitOrLong keeps symbols such as MECP2 and FOXG1 or
// all-letter ones of four or more (TCF, a word, is too short to trust).
func hasLetterAndDigitOrLong(w string) bool {
	return strings.IndexAny(w, "0123456789") > 0 || len(w) >= 4
}
