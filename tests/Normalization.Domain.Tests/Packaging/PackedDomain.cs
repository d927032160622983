using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Normalization.Domain.Tests.Packaging;

/// <summary>
/// Packs src/Normalization.Domain once per test run into the example's local feed (tests/Normalization.WhatIf.Example/feed)
/// with a version unique to the run (<c>0.17.0-local.&lt;time&gt;.&lt;random&gt;</c>: NuGet's global packages folder can
/// never hand the example a stale copy), then runs the example test project against that package with
/// <c>dotnet test</c>. The package is packed from the domain build this suite already made (no second compile); the
/// example builds into a temporary artifacts folder, so nothing in src/ or tests/ is rewritten while the rest of the
/// suite runs. The feed's package, the temporary folder and the run's copy in the global packages folder
/// are removed afterwards.
/// </summary>
public sealed class PackedDomain : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);
    public const string ExampleProject = "tests/Normalization.WhatIf.Example/Normalization.WhatIf.Example.csproj";

    public string Root { get; } = RepoRoot();
    public string Work { get; } = Path.Combine(Path.GetTempPath(), $"normalization-pack-{Guid.NewGuid():N}");
    /// <summary>
    /// The run's prerelease label. The random part starts with a letter: eight hex digits that happened to be all decimal with
    /// a leading zero (<c>06006882</c>) are a numeric identifier SemVer 2 refuses, and pack failed (about 1 run in 400).
    /// </summary>
    public string Suffix { get; } = $"local.{DateTime.UtcNow:yyyyMMddHHmmss}.r{Guid.NewGuid().ToString("N")[..8]}";
    public string Version { get; private set; } = "";
    public string Feed => Path.Combine(Root, "tests", "Normalization.WhatIf.Example", "feed");
    public string Package => Path.Combine(Feed, $"Normalization.Domain.{Version}.nupkg");
    public DotnetCli.Run Pack { get; private set; } = null!;
    public DotnetCli.Run Example { get; private set; } = null!;
    public string ExampleTrx => Path.Combine(Work, "results", "example.trx");
    public string ExampleAssets => Path.Combine(Work, "artifacts", "obj", "Normalization.WhatIf.Example", "project.assets.json");
    public TimeSpan Took { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        Version = VersionPrefix() + "-" + Suffix;
        Directory.CreateDirectory(Feed);
        // The package holds the very assembly this suite built and tested (--no-build, same configuration), so packing
        // costs seconds, not a second compile; the nuspec goes to the temporary folder, not src/.../obj.
        // No build servers: a server left running would hold this process's output pipes (and outlive the test).
        Pack = await DotnetCli.RunAsync(Root, Timeout, "pack", "src/Normalization.Domain/Normalization.Domain.csproj",
            "--no-build", "-c", Configuration, "-o", Feed, $"-p:VersionSuffix={Suffix}", $"-p:NuspecOutputPath={Path.Combine(Work, "nuspec")}/",
            "--disable-build-servers", "-nodeReuse:false");
        if (Pack.ExitCode == 0)
            Example = await DotnetCli.RunAsync(Root, Timeout, "test", ExampleProject,
                "--artifacts-path", Path.Combine(Work, "artifacts"), $"-p:NormalizationDomainVersion={Version}",
                "--logger", "trx;LogFileName=example.trx", "--results-directory", Path.Combine(Work, "results"),
                "--disable-build-servers", "-nodeReuse:false");
        Took = clock.Elapsed;
        Console.WriteLine($"Packed Normalization.Domain {Version} in {Pack.Took.TotalSeconds:0.0} s; example tests ran in {Example?.Took.TotalSeconds ?? 0:0.0} s.");
    }

    /// <summary>The configuration this test assembly was built in (bin/&lt;Configuration&gt;/&lt;tfm&gt;/), which built the domain too.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The VersionPrefix the csproj declares (what a release would be numbered).</summary>
    public string VersionPrefix() =>
        XDocument.Load(Path.Combine(Root, "src", "Normalization.Domain", "Normalization.Domain.csproj")).Descendants("VersionPrefix").Single().Value;

    /// <summary>The packed .nupkg's entries and its .nuspec.</summary>
    public (List<string> Entries, XElement Metadata, ZipArchive Zip) Open()
    {
        var zip = ZipFile.OpenRead(Package);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return (zip.Entries.Select(e => e.FullName).ToList(), metadata, zip);
    }

    public Task DisposeAsync()
    {
        TryDelete(() => File.Delete(Package));
        TryDelete(() => { if (Directory.Exists(Feed) && !Directory.EnumerateFileSystemEntries(Feed).Any()) Directory.Delete(Feed); });
        TryDelete(() => { if (Directory.Exists(Work)) Directory.Delete(Work, recursive: true); });
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(() =>
        {
            var copy = Path.Combine(globalPackages, "normalization.domain", Version.ToLowerInvariant());
            if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
            var parent = Path.GetDirectoryName(copy)!;
            if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any()) Directory.Delete(parent);
        });
        return Task.CompletedTask;
    }

    static void TryDelete(Action delete)
    {
        try { delete(); }
        catch (IOException e) { Console.Error.WriteLine($"Cleanup after packing: {e.Message}"); }
        catch (UnauthorizedAccessException e) { Console.Error.WriteLine($"Cleanup after packing: {e.Message}"); }
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Normalization.sln"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (Normalization.sln) not found.");
    }
}
