using System.Diagnostics;

namespace Normalization.Api.Database;

/// <summary>The server's tools (initdb, pg_ctl, chown, docker) run as child processes for <see cref="PostgresLocator"/>.</summary>
internal static class ProcessRunner
{
    /// <summary>A finished process: its exit code and its standard output followed by its standard error.</summary>
    internal sealed record RunResult(int ExitCode, string Output);

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> (through <c>runuser -u postgres</c> when <paramref name="asPostgresUser"/>:
    /// initdb and postgres refuse root), without our <c>PGPASSWORD</c>; kills the process tree and throws
    /// <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<RunResult> RunAsync(
        string file, IReadOnlyList<string> args, bool asPostgresUser, TimeSpan timeout, CancellationToken ct,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "/",
        };
        if (asPostgresUser)
        {
            psi.FileName = "runuser";
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(PostgresLocator.SuperUser);
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(file);
        }
        else
        {
            psi.FileName = file;
        }

        foreach (var a in args) psi.ArgumentList.Add(a);
        // Do not leak our connection settings into child processes.
        psi.Environment.Remove("PGPASSWORD");

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"{file} {string.Join(' ', args)} took longer than {timeout.TotalSeconds:0} s");
        }

        return new RunResult(process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>The last non-empty line of a tool's output (its error, usually), for a one-line message.</summary>
    public static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}
