using System.Diagnostics;

namespace Normalization.Api.Tests.Foundation;

/// <summary>Issue 16 (3): in Production the app reads its connection string and nothing else.</summary>
public sealed class ProductionStartTests
{
    [Fact]
    public async Task Given_Production_and_no_connection_string_When_the_app_starts_Then_it_exits_2_with_one_line_saying_what_to_set()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Normalization.Api.dll"));
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment.Remove("ConnectionStrings__Normalization"); // the test fixture sets it for the whole test process
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.ShouldBe(2);
        var error = (await stderr).Trim();
        error.ShouldContain("ConnectionStrings__Normalization");
        error.Split('\n').Length.ShouldBe(1);
        (await stdout).ShouldNotContain("PostgreSQL:"); // no server was looked for or started
    }
}
