using System.Text;

namespace Normalization.Api.Importing.EventData;

/// <summary>
/// Which of the negotiation's two parties an event-data actor is, from the <c>--party CODE=ACTOR</c> options. An ACTOR matches
/// a row's actor when it is a prefix of the actor code (GDELT <c>Actor1Code</c>: <c>AFGTAL</c> matches <c>AFGTALMIL</c>) or
/// equals its country (<c>USA</c>), known group (<c>TAL</c>) or name (ICEWS / POLECAT: <c>Taliban</c>, <c>United States</c>),
/// ignoring ASCII case. The longest matching ACTOR wins; when both parties match equally long the actor is ambiguous and
/// the row is skipped (counted).
/// </summary>
public sealed class PartyMatcher
{
    /// <summary>No party matches.</summary>
    public const int None = -1;
    /// <summary>Both parties match equally well.</summary>
    public const int Ambiguous = -2;

    readonly (byte[] Actor, int Party)[] _patterns;

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
        _patterns = mappings.Select(m => (Encoding.UTF8.GetBytes(m.Actor.Trim()), parties.IndexOf(m.Party))).ToArray();
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
        foreach (var (actor, party) in _patterns)
        {
            var hit = (code.Length >= actor.Length && System.Text.Ascii.EqualsIgnoreCase(code[..actor.Length], actor))
                      || Same(exact1, actor) || Same(exact2, actor);
            if (!hit) continue;
            if (party == 0) best0 = Math.Max(best0, actor.Length);
            else best1 = Math.Max(best1, actor.Length);
        }
        if (best0 == 0 && best1 == 0) return None;
        return best0 == best1 ? Ambiguous : best0 > best1 ? 0 : 1;
    }

    static bool Same(ReadOnlySpan<byte> field, byte[] actor) =>
        field.Length == actor.Length && (field.SequenceEqual(actor) || System.Text.Ascii.EqualsIgnoreCase(field, actor));
}
