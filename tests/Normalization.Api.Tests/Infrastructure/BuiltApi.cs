using System.Collections.Concurrent;
using System.Diagnostics;
using Normalization.Api.Database;

namespace Normalization.Api.Tests.Infrastructure;

/// <summary>
/// The built API (src/Normalization.Api/bin/&lt;Configuration&gt;/&lt;tfm&gt;/Normalization.Api.dll, the configuration of this test
/// assembly) for tests that run it as a child process in Production, and the deploy step such a process needs first: in
/// Production the app does not create or migrate its schema at start (Storage/SchemaAtStart.cs), <c>db-apply</c> does.
/// </summary>
public static class BuiltApi
{
    static readonly ConcurrentDictionary<string, Lazy<Task>> Applied = new();

    /// <summary>The project folder (the child process's working directory and content root).</summary>
    public static string ProjectDir => Path.Combine(RepositoryRoot(), "src", "Normalization.Api");

    /// <summary>The built dll; throws when it is missing.</summary>
    public static string Dll
    {
        get
        {
            var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var dll = Path.Combine(ProjectDir, "bin", baseDir.Parent!.Name, baseDir.Name, "Normalization.Api.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"Build the API first: {dll} is missing.");
        }
    }

    /// <summary>Runs <c>dotnet Normalization.Api.dll &lt;args&gt;</c> in Production on a database; returns the exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string connectionString, params string[] args) =>
        RunInAsync("Production", connectionString, args);

    /// <summary>Runs <c>dotnet Normalization.Api.dll &lt;args&gt;</c> in <paramref name="environment"/> on a database; returns the exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunInAsync(string environment, string connectionString, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = ProjectDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["ConnectionStrings__" + PostgresLocator.ConnectionStringName] = connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["Normalization__LoadSeedData"] = "false";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the API.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"dotnet Normalization.Api.dll {string.Join(' ', args)} did not end within 120 s."); }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The deploy step, once per database in this test process: <c>db-apply</c> in Production.</summary>
    public static Task ApplySchemaAsync(string connectionString) => Applied.GetOrAdd(connectionString, cs => new Lazy<Task>(async () =>
    {
        var (exitCode, stdout, stderr) = await RunAsync(cs, "db-apply");
        if (exitCode != 0) throw new InvalidOperationException($"db-apply failed ({exitCode}):\n{stdout}\n{stderr}");
    })).Value;

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Normalization.sln"))) return dir.FullName;
        throw new InvalidOperationException("Normalization.sln not found above " + AppContext.BaseDirectory);
    }
}
