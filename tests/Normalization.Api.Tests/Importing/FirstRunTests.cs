using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Normalization.Api.Database;
using Normalization.Api.Tests.Infrastructure;

namespace Normalization.Api.Tests.Importing;

/// <summary>The app started on an empty database shows the seed negotiation (the built app, as a process).</summary>
[Collection(ApiCollection.Name)]
public class FirstRunTests
{
    [Fact]
    public async Task Given_an_empty_store_When_the_app_starts_Then_GET_negotiations_shows_us_taliban()
    {
        var locator = new PostgresLocator();
        var database = $"normalization_test_{Guid.NewGuid():N}"[..27];
        var connectionString = await locator.EnsureDatabaseAsync(database);
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Normalization.Api.dll"));
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{port}");
        psi.Environment["ConnectionStrings__Normalization"] = connectionString;
        psi.Environment.Remove("Normalization__LoadSeedData"); // the fixture turns it off for the in-process host
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development"; // a new user's first run (`dotnet run`): the app creates the schema
        using var process = Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            string body = "";
            for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline && !body.Contains("us-taliban");)
            {
                await Task.Delay(500);
                try { body = await http.GetStringAsync("/api/negotiations"); } catch (HttpRequestException) { }
            }
            body.ShouldContain("\"us-taliban\"");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await locator.DropDatabaseAsync(database);
        }
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
