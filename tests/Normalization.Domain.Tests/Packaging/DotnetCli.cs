using System.Diagnostics;
using System.Text;

namespace Normalization.Domain.Tests.Packaging;

/// <summary>Runs the .NET CLI as a child process of a test, with its output captured for the assertion message.</summary>
public static class DotnetCli
{
    public sealed record Run(int ExitCode, string Output, TimeSpan Took)
    {
        /// <summary>The last lines of the output (what a failing assertion shows).</summary>
        public string Tail => string.Join('\n', Output.Split('\n').TakeLast(60));
    }

    public static async Task<Run> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        // The test host runs under `dotnet test`; the dotnet that runs it is the one to call.
        var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // Variables the outer `dotnet test` set for its own MSBuild and test platform would steer the inner one.
        foreach (var name in start.Environment.Keys.ToList())
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output) output.AppendLine($"(killed after {timeout.TotalSeconds:0} s)");
        }
        lock (output) return new Run(process.ExitCode, output.ToString(), clock.Elapsed);
    }
}
