namespace Normalization.Api.Importing;

/// <summary>
/// The shipped library of real normalizations and breakdowns (Library/*.ndjson next to the app, described in
/// docs/library.md): each is a history file like the seed, tagged <c>library</c> so the board can filter to them
/// (<c>GET /api/negotiations?tag=library</c>). Loading is an ordinary import: validated, all or nothing per file,
/// idempotent by eventId, so loading twice stores nothing new.
/// </summary>
public sealed class Library(Importer importer)
{
    /// <summary>Setting: load the library on the first run (an empty store), with the seed. Default false: the first run offers it in the log.</summary>
    public const string LoadOnFirstRunSetting = "Normalization:Library:LoadOnFirstRun";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Library");

    /// <summary>The names of the shipped histories (file names without .ndjson, which are also their negotiation ids), sorted.</summary>
    public static IReadOnlyList<string> Names() => Directory.Exists(Folder)
        ? Directory.GetFiles(Folder, "*.ndjson").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Imports the named histories (all when <paramref name="names"/> is empty); an unknown name is an <see cref="ArgumentException"/> before anything is stored.</summary>
    public async Task<IReadOnlyList<ImportReport>> LoadAsync(IReadOnlyList<string> names, string postedBy, CancellationToken ct = default)
    {
        var known = Names();
        var unknown = names.Where(n => !known.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Not in the library: {string.Join(", ", unknown)}. Known: {string.Join(", ", known)}.");
        var reports = new List<ImportReport>();
        foreach (var name in names.Count == 0 ? known : names.Distinct(StringComparer.Ordinal))
            reports.Add(await importer.ImportAsync(new ImportRequest { Path = Path.Combine(Folder, name + ".ndjson"), PostedBy = postedBy }, ct: ct));
        return reports;
    }
}
