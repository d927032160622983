using System.Text;

namespace Normalization.Api.Importing.EventData;

/// <summary>
/// Which of the negotiation's two parties an event-data actor is, from the <c>--party CODE=ACTOR</c> options. An ACTOR matches
/// a row's actor when it is a prefix of the actor code (GDELT <c>Actor1Code</c>: <c>AFGTAL</c> matches <c>AFGTALMIL</c>) or
/// equals its country (<c>USA</c>), known group (<c>TAL</c>) or name (ICEWS / POLECAT: <c>Taliban</c>, <c>United States</c>),
/// ignoring case, beyond ASCII too (<c>VIỆT NAM</c> is <c>Việt Nam</c>). The longest matching ACTOR wins; when both parties match equally long the actor is ambiguous and
/// the row is skipped (counted).
/// </summary>
public sealed class PartyMatcher
{
    /// <summary>No party matches.</summary>
    public const int None = -1;
    /// <summary>Both parties match equally well.</summary>
    public const int Ambiguous = -2;

    readonly (byte[] Actor, string Folded, int Party)[] _patterns;

    /// <summary>The two party codes, in the order of <see cref="Match"/>'s answers (0 and 1).</summary>
    public IReadOnlyList<string> Parties { get; }

    /// <param name="mappings">(party code, actor) pairs: every pair names one of exactly two party codes.</param>
    /// <exception cref="ImportException">Not exactly two party codes, or an empty actor.</exception>
    public PartyMatcher(IReadOnlyList<(string Party, string Actor)> mappings)
    {
        var parties = mappings.Select(m => m.Party).Distinct(StringComparer.Ordinal).ToList();
        Parties = parties;
        if (parties.Count != 2)
        {
            var got = parties.Count == 0 ? "none" : string.Join(", ", parties);
            throw new ImportException($"Event data needs the actors of both parties: --party CODE=ACTOR for each of the two parties (e.g. --party US=USA --party TB=AFGTAL); got {got}.",
                "party", $"Event data needs the actors of both parties: party=CODE=ACTOR for each of the two parties (e.g. party=US%3DUSA&party=TB%3DAFGTAL); got {got}.");
        }
        foreach (var (party, actor) in mappings)
            if (string.IsNullOrWhiteSpace(actor)) throw new ImportException($"--party {party}=…: the actor code is empty.", "party", $"party={party}=…: the actor code is empty.");
        _patterns = mappings.Select(m =>
        {
            var actor = m.Actor.Trim();
            return (Encoding.UTF8.GetBytes(actor), Fold(actor), parties.IndexOf(m.Party));
        }).ToArray();
    }

    /// <summary>
    /// Reads <c>CODE=ACTOR</c> items (the <c>--party</c> values, or the lines of a <c>--party-map</c> file: blank lines and
    /// lines starting with <c>#</c> are skipped; a tab may stand for <c>=</c>).
    /// </summary>
    public static List<(string Party, string Actor)> Parse(IEnumerable<string> items, string where)
    {
        var list = new List<(string, string)>();
        foreach (var raw in items)
        {
            var item = raw.Trim();
            if (item.Length == 0 || item.StartsWith('#')) continue;
            var at = item.IndexOfAny(['=', '\t']);
            if (at <= 0 || at == item.Length - 1)
                throw new ImportException($"{where}: expected CODE=ACTOR (e.g. US=USA, TB=AFGTAL), not '{item}'.");
            list.Add((item[..at].Trim(), item[(at + 1)..].Trim()));
        }
        return list;
    }

    /// <summary>
    /// The party (0 or 1) of an actor given by its code (matched as a prefix) and up to two exact fields (country, group
    /// or name); <see cref="None"/> or <see cref="Ambiguous"/>.
    /// </summary>
    public int Match(ReadOnlySpan<byte> code, ReadOnlySpan<byte> exact1, ReadOnlySpan<byte> exact2)
    {
        int best0 = 0, best1 = 0;
        string? folded1 = null, folded2 = null; // a non-ASCII field folded once, at its first comparison
        foreach (var (actor, folded, party) in _patterns)
        {
            var hit = (code.Length >= actor.Length && System.Text.Ascii.EqualsIgnoreCase(code[..actor.Length], actor))
                      || Same(exact1, actor, folded, ref folded1) || Same(exact2, actor, folded, ref folded2);
            if (!hit) continue;
            if (party == 0) best0 = Math.Max(best0, actor.Length);
            else best1 = Math.Max(best1, actor.Length);
        }
        if (best0 == 0 && best1 == 0) return None;
        return best0 == best1 ? Ambiguous : best0 > best1 ? 0 : 1;
    }

    /// <summary>
    /// Whether a name or country field is the actor: byte for byte or ignoring ASCII case (the fast path every row takes), else —
    /// for a field that is not ASCII — in upper case, so that a name with letters beyond ASCII written in capitals is not counted
    /// among other actors. <paramref name="fieldFolded"/> caches the field's folded text. (Not in one Unicode normalization
    /// form: the app runs with invariant globalization, where <see cref="string.Normalize()"/> changes nothing.)
    /// </summary>
    static bool Same(ReadOnlySpan<byte> field, byte[] actor, string actorFolded, ref string? fieldFolded)
    {
        if (field.Length == actor.Length && (field.SequenceEqual(actor) || System.Text.Ascii.EqualsIgnoreCase(field, actor))) return true;
        if (field.IsEmpty || System.Text.Ascii.IsValid(field)) return false;
        fieldFolded ??= Fold(Encoding.UTF8.GetString(field));
        return string.Equals(fieldFolded, actorFolded, StringComparison.Ordinal);
    }

    /// <summary>A name as compared beyond ASCII: upper case (invariant culture, full Unicode simple case mapping).</summary>
    static string Fold(string text) => text.ToUpperInvariant();
}
