using System.Security.Cryptography;

namespace Normalization.Api.Database;

/// <summary>Where the private cluster keeps its files: the checkout's <c>.data</c>, <c>NORMALIZATION_DATA_DIR</c>, or a folder the postgres OS user can reach.</summary>
public static class ClusterFolders
{
    /// <summary>The folder of the checkout (holding Normalization.sln), or null outside one.</summary>
    public static string? FindCheckoutRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Normalization.sln"))) return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The folder for the private cluster's files: NORMALIZATION_DATA_DIR, or .data of the checkout.</summary>
    public static string ResolveDataRoot()
    {
        var overridden = Environment.GetEnvironmentVariable("NORMALIZATION_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
        var root = FindCheckoutRoot()
                   ?? throw new PostgresStartupException(
                       "Cannot find the checkout (no Normalization.sln above the app or the current folder) to keep the " +
                       "private PostgreSQL cluster in: set NORMALIZATION_DATA_DIR or ConnectionStrings__Normalization.");
        return Path.Combine(root, ".data");
    }

    /// <summary>
    /// Where the private cluster lives: <paramref name="preferred"/> (the checkout's <c>.data</c>) unless, running as root
    /// without <c>NORMALIZATION_DATA_DIR</c>, the postgres OS user cannot traverse its folders (a clone under /root, or in a
    /// private temp folder): then a folder of its own under <paramref name="shared"/> (default /var/tmp), named after the
    /// checkout so two checkouts keep two clusters.
    /// </summary>
    public static string ChooseDataRoot(string preferred, bool asRoot, bool overridden, Func<string, bool> postgresCanTraverse, string shared = "/var/tmp")
    {
        if (!asRoot || overridden) return preferred;
        var existing = new DirectoryInfo(preferred);
        while (existing is not null && !existing.Exists) existing = existing.Parent;
        if (existing is null || postgresCanTraverse(existing.FullName)) return preferred;
        var hash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(preferred))))[..8].ToLowerInvariant();
        return Path.Combine(shared, $"normalization-{hash}");
    }
}

/// <summary>The private cluster's files under <paramref name="Root"/>: its home (owned by the postgres OS user), data, socket folder, log, password and lock.</summary>
internal sealed record ClusterPaths(string Root)
{
    public string Home => Path.Combine(Root, "postgres");          // owned by the postgres OS user when root
    public string Data => Path.Combine(Home, "data");               // PGDATA
    public string Run => Path.Combine(Home, "run");                 // unix socket folder
    public string Log => Path.Combine(Home, "postgres.log");
    public string PasswordFile => Path.Combine(Home, "superuser.password"); // mode 600
    public string Lock => Path.Combine(Root, "postgres.lock");
}
