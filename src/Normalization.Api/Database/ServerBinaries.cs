using System.Text.RegularExpressions;

namespace Normalization.Api.Database;

/// <summary>A folder holding initdb and pg_ctl, with the major version they report.</summary>
public sealed record ServerBinaries(string Directory, int MajorVersion, string VersionText)
{
    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");
}

/// <summary>
/// The machine's PostgreSQL server binaries: PATH and <c>/usr/lib/postgresql/*/bin</c>, or only the folders in
/// <c>NORMALIZATION_PG_BIN_DIRS</c> when that is set.
/// </summary>
internal static class PostgresBinaries
{
    /// <summary>Every folder with initdb + pg_ctl, newest major version first.</summary>
    public static IReadOnlyList<ServerBinaries> FindAll()
    {
        var candidates = new List<string>();
        var overrideDirs = Environment.GetEnvironmentVariable("NORMALIZATION_PG_BIN_DIRS");
        if (overrideDirs is not null)
        {
            candidates.AddRange(overrideDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }
        else
        {
            candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
            const string debianRoot = "/usr/lib/postgresql";
            if (System.IO.Directory.Exists(debianRoot))
            {
                candidates.AddRange(System.IO.Directory.GetDirectories(debianRoot).Select(d => Path.Combine(d, "bin")));
            }
        }

        var found = new Dictionary<string, ServerBinaries>(StringComparer.Ordinal);
        foreach (var dir in candidates)
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb)) continue;
            // Follow symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb): pg_ctl must
            // sit beside the real initdb and the postgres binary.
            var realDir = Path.GetDirectoryName(ResolveLinks(initdb))!;
            if (found.ContainsKey(realDir)) continue;
            if (!File.Exists(Path.Combine(realDir, "pg_ctl")) || !File.Exists(Path.Combine(realDir, "postgres"))) continue;
            var version = TryReadVersion(Path.Combine(realDir, "pg_ctl"));
            if (version is null) continue;
            found[realDir] = new ServerBinaries(realDir, version.Value.Major, "PostgreSQL " + version.Value.Text);
        }

        return found.Values.OrderByDescending(b => b.MajorVersion).ToList();
    }

    static string ResolveLinks(string path)
    {
        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    static (int Major, string Text)? TryReadVersion(string pgCtl)
    {
        try
        {
            var result = ProcessRunner.RunAsync(pgCtl, ["--version"], asPostgresUser: false, TimeSpan.FromSeconds(10), CancellationToken.None)
                .GetAwaiter().GetResult();
            var m = Regex.Match(result.Output, @"\(PostgreSQL\)\s+(([0-9]+)(\.[0-9]+)?)");
            return result.ExitCode == 0 && m.Success ? (int.Parse(m.Groups[2].Value), m.Groups[1].Value) : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// The binaries for the cluster in <paramref name="paths"/>: the newest for a new cluster, else those of its major version
    /// (<c>PG_VERSION</c>); <see cref="PostgresStartupException"/> when that version is no longer installed.
    /// </summary>
    public static ServerBinaries ChooseFor(IReadOnlyList<ServerBinaries> all, ClusterPaths paths)
    {
        var versionFile = Path.Combine(paths.Data, "PG_VERSION");
        if (!File.Exists(versionFile)) return all[0];
        var existing = int.Parse(File.ReadAllText(versionFile).Trim().Split('.')[0]);
        return all.FirstOrDefault(b => b.MajorVersion == existing)
               ?? throw new PostgresStartupException(
                   $"The private cluster in {paths.Data} was made by PostgreSQL {existing}, whose server binaries are " +
                   $"no longer installed (found {string.Join(", ", all.Select(b => b.MajorVersion))}); " +
                   $"install postgresql-{existing} or wipe it with `rm -rf {paths.Root}`.");
    }
}
