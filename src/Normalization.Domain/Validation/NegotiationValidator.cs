using System.Text.RegularExpressions;
using Normalization.Domain.Negotiations;

namespace Normalization.Domain.Validation;

public static partial class NegotiationValidator
{
    [GeneratedRegex(@"\A[a-z0-9](?:[a-z0-9-]{1,62})[a-z0-9]\z")]
    private static partial Regex Slug();

    public static bool IsValidId(string? id) => id is not null && Slug().IsMatch(id) && !id.Contains("--");

    public static List<FieldError> Validate(NegotiationOpened n, string path = "")
    {
        var errors = new List<FieldError>();
        string P(string f) => EventReader.Join(path, f);
        if (!IsValidId(n.Id)) errors.Add(new(P("id"), "invalid_slug", "id must be 3–64 characters: lower-case letters, digits and single hyphens, not starting or ending with a hyphen."));
        Text(n.Title, P("title"), "title", 200, errors);
        if (n.Parties is null || n.Parties.Count != 2) errors.Add(new(P("parties"), "exactly_two", "parties must list exactly two parties."));
        else
        {
            CheckParties(n.Parties, P("parties"), errors);
            if (n.Parties[0] is { } first && n.Parties[1] is { } second && first.Code == second.Code) errors.Add(new(P("parties[1].code"), "duplicate_code", "The two parties must have different codes."));
        }
        if (n.Mediators is { Count: > 20 }) errors.Add(new(P("mediators"), "too_many", "At most 20 mediators."));
        else if (n.Mediators is not null) CheckParties(n.Mediators, P("mediators"), errors);
        var b = n.Baseline ?? new Baseline();
        foreach (var (r, i) in (b.Recognition ?? []).Select((r, i) => (r, i)))
        {
            if (r is null) { errors.Add(new(P($"baseline.recognition[{i}]"), "required", "A recognition is an object with by and of.")); continue; }
            if (!EventReader.PartyCode().IsMatch(r.By ?? "")) errors.Add(new(P($"baseline.recognition[{i}].by"), "invalid_party_code", "by must be a party code."));
            if (!EventReader.PartyCode().IsMatch(r.Of ?? "")) errors.Add(new(P($"baseline.recognition[{i}].of"), "invalid_party_code", "of must be a party code."));
        }
        foreach (var (o, i) in (b.Offices ?? []).Select((o, i) => (o, i)))
        {
            if (o is null) { errors.Add(new(P($"baseline.offices[{i}]"), "required", "An office is an object with sender and host.")); continue; }
            if (!EventReader.PartyCode().IsMatch(o.Sender ?? "")) errors.Add(new(P($"baseline.offices[{i}].sender"), "invalid_party_code", "sender must be a party code."));
            if (!EventReader.PartyCode().IsMatch(o.Host ?? "")) errors.Add(new(P($"baseline.offices[{i}].host"), "invalid_party_code", "host must be a party code."));
        }
        foreach (var (s, i) in (b.Sanctions ?? []).Select((s, i) => (s, i)))
            if (string.IsNullOrWhiteSpace(s) || s.Length > 500) errors.Add(new(P($"baseline.sanctions[{i}]"), "invalid", "Each sanction is a non-empty scope of at most 500 characters."));
            else Text(s, P($"baseline.sanctions[{i}]"), "A sanction", 500, errors);
        foreach (var (d, i) in (b.Designations ?? []).Select((d, i) => (d, i)))
            Text(d?.Designee, P($"baseline.designations[{i}].designee"), "designee", 500, errors);
        return errors;
    }

    /// <summary>A required one-line text: present, at most <paramref name="max"/> characters, by <see cref="Strict.TextProblem"/>.</summary>
    static void Text(string? value, string path, string what, int max, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new(path, "required", $"{what} is required."));
        else if (value.Length > max) errors.Add(new(path, "too_long", $"{what} is longer than {max} characters."));
        else if (Strict.TextProblem(value) is { } problem) errors.Add(new(path, problem.Code, $"{what} {problem.Message}"));
    }

    static void CheckParties(IReadOnlyList<Party> parties, string path, List<FieldError> errors)
    {
        for (var i = 0; i < parties.Count; i++)
        {
            var p = parties[i];
            if (p is null) { errors.Add(new($"{path}[{i}]", "required", "A party is an object with code and name.")); continue; }
            if (!EventReader.PartyCode().IsMatch(p.Code ?? "")) errors.Add(new($"{path}[{i}].code", "invalid_party_code", "code must be 1–16 characters: upper-case letters, digits, hyphens, starting with a letter."));
            Text(p.Name, $"{path}[{i}].name", "name", 200, errors);
        }
    }
}
