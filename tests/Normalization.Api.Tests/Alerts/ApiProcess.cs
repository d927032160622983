using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Normalization.Api.Database;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// The built API (bin/&lt;Configuration&gt;/&lt;tfm&gt;/Normalization.Api.dll, Production, pre-generated code) as a child process on
/// a loopback port, on a given database, with the tests' API key and alert settings. <see cref="KillAsync"/> is SIGKILL (what
/// a crash or an OOM kill does: no shutdown code runs).
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();

    public HttpClient Http { get; }

    ApiProcess(Process process, string url)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = new Uri(url) };
    }

    /// <summary>
    /// Starts the app and waits until /health answers 200 (at most 90 s). The database gets its schema first, as a deploy
    /// does (<c>db-apply</c>, once per database: a Production start does not migrate).
    /// </summary>
    public static async Task<ApiProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        await BuiltApi.ApplySchemaAsync(connectionString);
        var projectDir = BuiltApi.ProjectDir;
        var dll = BuiltApi.Dll;
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = projectDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--urls", url, "--contentRoot", projectDir }) start.ArgumentList.Add(a);
        start.Environment["ConnectionStrings__" + PostgresLocator.ConnectionStringName] = connectionString;
        start.Environment["ApiKeys__tests"] = ApiKeys.Hash(AppFixture.ApiKey);
        start.Environment["Normalization__LoadSeedData"] = "false";
        start.Environment["Normalization__Alerts__AllowedHosts__0"] = "127.0.0.1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) start.Environment[k] = v;
        var app = new ApiProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the API."), url);
        app._process.OutputDataReceived += (_, e) => { lock (app._output) app._output.AppendLine(e.Data); };
        app._process.ErrorDataReceived += (_, e) => { lock (app._output) app._output.AppendLine(e.Data); };
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (app._process.HasExited) throw new InvalidOperationException($"The API exited ({app._process.ExitCode}):\n{app.Output}");
            try { using var r = await app.Http.GetAsync("/health"); if (r.StatusCode == HttpStatusCode.OK) return app; }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException($"The API did not become healthy:\n{app.Output}");
            await Task.Delay(250);
        }
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>POSTs JSON with the tests' API key; returns the status and the body.</summary>
    public async Task<(int Status, string Body)> PostJson(string url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add(ApiKeys.Header, AppFixture.ApiKey);
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>SIGKILL: the process ends at once, mid-whatever.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
