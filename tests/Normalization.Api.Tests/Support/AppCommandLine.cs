using System.Diagnostics;

namespace Normalization.Api.Tests.Support;

/// <summary>The built app's command line (<c>dotnet Normalization.Api.dll …</c>), as a user runs it, against a given database.</summary>
public static class AppCommandLine
{
    /// <summary>
    /// Runs the app with <paramref name="args"/> on <paramref name="connectionString"/> (no seed loaded; Production unless
    /// <paramref name="environment"/> says otherwise) and returns its exit code and output; at most <paramref name="minutes"/>.
    /// </summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string connectionString, string? environment, params string[] args) =>
        RunAsync(connectionString, environment, 2, args);

    /// <inheritdoc cref="RunAsync(string, string?, string[])"/>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string connectionString, string? environment, int minutes, params string[] args) =>
        RunAsync(connectionString, environment, minutes, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="RunAsync(string, string?, int, string[])"/> with <paramref name="variables"/> set in the process's environment (TERM, NO_COLOR…).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string connectionString, string? environment, int minutes,
        IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Normalization.Api.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null) psi.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        psi.Environment["ConnectionStrings__Normalization"] = connectionString;
        psi.Environment["Normalization__LoadSeedData"] = "false";
        psi.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in variables) psi.Environment[name] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
