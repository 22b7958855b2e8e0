package match

import "vivier/internal/need"

// FromInput turns a need as its JSON writes it (vivier match --need) into
// the request the engine ranks experts for.
func FromInput(in need.Input) Request {
	r := Request{Title: in.Title, Description: in.Description, Commune: in.Commune,
		RequesterSIREN: in.RequesterSIREN, Kind: Kind(in.Kind), Start: in.Start, End: in.End,
		DaysPerWeek: in.DaysPerWeek, Format: Format(in.Format), Languages: in.Languages}
	if in.MaxDailyRate != nil {
		r.MaxDailyRate = *in.MaxDailyRate
	}
	for _, s := range in.Skills {
		r.Skills = append(r.Skills, SkillWant{Code: s.Code, MinLevel: int(s.MinLevel), Required: s.Required})
	}
	return r
}

// FromNeed turns a stored need into the request the engine ranks experts
// for, with its stored requester.
func FromNeed(n need.Need) Request {
	return FromInput(need.Input{Title: n.Title, Description: n.Description, Commune: n.Commune,
		RequesterSIREN: n.RequesterSIREN, Kind: n.Kind, Skills: n.Skills, Start: n.Start, End: n.End,
		DaysPerWeek: n.DaysPerWeek, MaxDailyRate: n.MaxDailyRate, Format: n.Format, Languages: n.Languages})
}
