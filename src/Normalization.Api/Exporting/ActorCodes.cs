namespace Normalization.Api.Exporting;

/// <summary>
/// Which actor code of the event-data world (a CAMEO country or group code such as <c>USA</c>, <c>AFGTAL</c>) stands
/// for each of our party codes, given as <c>CODE=ACTOR</c> pairs (<c>--party US=USA</c>, <c>?party=US=USA</c>, the same
/// spelling as the event-data import). A party without a pair keeps its own code.
/// </summary>
public sealed class ActorCodes
{
    readonly Dictionary<string, string> _map;

    ActorCodes(Dictionary<string, string> map) => _map = map;

    /// <summary>One pair as the OpenAPI document describes it: a code, <c>=</c>, an actor code (each 1–32 ASCII letters, digits, <c>-</c>, <c>_</c>).</summary>
    public const string PairPattern = "^[A-Za-z0-9_-]{1,32}=[A-Za-z0-9_-]{1,32}$";

    /// <summary>No mapping: every party is its own actor code.</summary>
    public static ActorCodes Identity { get; } = new(new(StringComparer.Ordinal));

    /// <summary>The codes the pairs map (the CODE of each CODE=ACTOR).</summary>
    public IEnumerable<string> Codes => _map.Keys;

    /// <summary>The actor code for a party code (or a third party's code as recorded).</summary>
    public string Of(string? party) => party is null ? "" : _map.TryGetValue(party, out var actor) ? actor : party;

    /// <summary>
    /// Parses the pairs. Errors (one per bad pair, by its position; the input is not echoed): not <c>CODE=ACTOR</c>, an actor code that is not 1–32
    /// letters, digits, <c>-</c> or <c>_</c>, or one party given twice with different actors.
    /// </summary>
    public static (ActorCodes? Codes, IReadOnlyList<string> Errors) Parse(IEnumerable<string?> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        var n = 0;
        foreach (var raw in pairs)
        {
            n++;
            var pair = raw ?? "";
            var eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1) { errors.Add($"Pair {n} is not CODE=ACTOR (e.g. US=USA)."); continue; }
            var (party, actor) = (pair[..eq], pair[(eq + 1)..]);
            if (!IsCode(party) || !IsCode(actor)) { errors.Add($"Pair {n}: codes are 1–32 ASCII letters, digits, '-' or '_' (e.g. US=USA)."); continue; }
            if (map.TryGetValue(party, out var known) && known != actor) { errors.Add($"Party '{party}' is given twice ({known}, {actor})."); continue; }
            map[party] = actor;
        }
        return errors.Count > 0 ? (null, errors) : (new ActorCodes(map), errors);
    }

    static bool IsCode(string s) => s.Length is > 0 and <= 32 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
