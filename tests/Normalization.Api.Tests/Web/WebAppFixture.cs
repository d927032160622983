using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Normalization.Api.Database;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;

namespace Normalization.Api.Tests.Web;

/// <summary>Every browser test class joins this collection: <c>[Collection(WebCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "web";
}

/// <summary>
/// The built API host as a separate process on a free port (the browser needs a real socket), on a fresh database of its
/// own with the US–Taliban seed history, and a headless Debian Chromium driven by Playwright.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    public const string ApiKey = "web-test-key-for-normalization";
    public const string NegotiationId = "us-taliban";
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly ILoggerFactory _logging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
    private readonly StringBuilder _appOutput = new();
    private PostgresLocator? _locator;
    private Process? _app;
    private IPlaywright? _playwright;

    public string DatabaseName { get; } = $"normalization_web_{Guid.NewGuid():N}"[..26];
    public string BaseUrl { get; private set; } = "";
    public HttpClient Http { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>
    /// The one origin allowed to frame the embed view (Normalization:Embed:FrameAncestors): a loopback port the test serves an
    /// "article" on (Chromium's local-network rules keep a public or routed origin from framing 127.0.0.1).
    /// </summary>
    public string AllowedFramer { get; } = $"http://127.0.0.1:{FreePort()}";
    string _connectionString = "";

    /// <summary>Where the committed screenshots live: docs/images/ at the repository root.</summary>
    public static string ImagesDirectory => Path.Combine(RepositoryRoot(), "docs", "images");

    public async Task InitializeAsync()
    {
        _locator = new PostgresLocator(configuration: null, _logging.CreateLogger<PostgresLocator>());
        var connectionString = await _locator.EnsureDatabaseAsync(DatabaseName);

        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _connectionString = connectionString;
        await BuiltApi.ApplySchemaAsync(connectionString); // the deploy step: a Production start does not migrate
        _app = StartApp(connectionString, BaseUrl, new() { ["Normalization__Embed__FrameAncestors__0"] = AllowedFramer });
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        await WaitUntilHealthyAsync();
        await SeedAsync();
        await WarmUpAsync();
        Assertions.SetDefaultExpectTimeout(15_000);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context and page; console errors (CSP violations included) are collected in <paramref name="errors"/>.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewPageAsync(List<string> errors, int width = 1280, int height = 900, string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseUrl ?? BaseUrl, ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Request.Method} {r.Url}"); };
        return (context, page);
    }

    public async Task<int> StoredVersionAsync()
    {
        var body = await Http.GetFromJsonAsync<JsonObject>($"/api/negotiations/{NegotiationId}");
        return body!["version"]!.GetValue<int>();
    }

    /// <summary>
    /// A second app process on the same database (the seed is there) with <paramref name="settings"/> as environment variables —
    /// e.g. <c>Normalization__Mode=ReadOnly</c>. Healthy and warmed up when returned; dispose it to stop it.
    /// </summary>
    public async Task<ExtraApp> StartExtraAppAsync(Dictionary<string, string> settings)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var process = StartApp(_connectionString, url, settings);
        var extra = new ExtraApp(process, url);
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The extra API host exited ({process.ExitCode}):\n{AppOutput}");
            try { using var r = await extra.Http.GetAsync("/health"); if (r.StatusCode == HttpStatusCode.OK) break; }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException($"The extra API host did not become healthy:\n{AppOutput}");
            await Task.Delay(250);
        }
        foreach (var warm in new[] { "/", "/api/site", $"/api/negotiations/{NegotiationId}", $"/api/negotiations/{NegotiationId}/stages", $"/api/negotiations/{NegotiationId}/timeline?pageSize=500", "/api/event-types" })
            (await extra.Http.GetAsync(warm)).EnsureSuccessStatusCode();
        return extra;
    }

    /// <summary>An extra app process (<see cref="StartExtraAppAsync"/>).</summary>
    public sealed class ExtraApp(Process process, string baseUrl) : IAsyncDisposable
    {
        public string BaseUrl { get; } = baseUrl;
        public HttpClient Http { get; } = new() { BaseAddress = new Uri(baseUrl) };

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!process.HasExited) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); }
            process.Dispose();
        }
    }

    Process StartApp(string connectionString, string baseUrl, Dictionary<string, string> settings)
    {
        var projectDir = Path.Combine(RepositoryRoot(), "src", "Normalization.Api");
        // Same configuration as this test assembly: bin/<Configuration>/<tfm>/.
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(projectDir, "bin", baseDir.Parent!.Name, baseDir.Name, "Normalization.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"Build the API first: {dll} is missing.");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "--urls", baseUrl, "--contentRoot", projectDir }) start.ArgumentList.Add(a);
        start.Environment["ConnectionStrings__" + PostgresLocator.ConnectionStringName] = connectionString;
        start.Environment["ApiKeys__tests"] = ApiKeys.Hash(ApiKey);
        start.Environment["Normalization__LoadSeedData"] = "true"; // used if the host has a seed loader; the seed is posted below anyway
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        foreach (var (k, v) in settings) start.Environment[k] = v;
        var app = Process.Start(start) ?? throw new InvalidOperationException("Could not start the API host.");
        app.OutputDataReceived += (_, e) => { lock (_appOutput) _appOutput.AppendLine(e.Data); };
        app.ErrorDataReceived += (_, e) => { lock (_appOutput) _appOutput.AppendLine(e.Data); };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        return app;
    }

    async Task WaitUntilHealthyAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until)
        {
            if (_app!.HasExited) throw new InvalidOperationException($"The API host exited ({_app.ExitCode}):\n{AppOutput}");
            try
            {
                using var r = await Http.GetAsync("/health");
                if (r.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The API host did not become healthy at {BaseUrl}:\n{AppOutput}");
    }

    /// <summary>Creates us-taliban and posts the seed events through the API (idempotent: a seed loader may have done it).</summary>
    async Task SeedAsync()
    {
        var lines = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson")).Where(l => l.Length > 0).ToList();
        var opening = JsonNode.Parse(lines[0])!.AsObject();
        opening.Remove("type");
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/negotiations") { Content = JsonContent.Create(opening) };
        create.Headers.Add(ApiKeys.Header, ApiKey);
        using var created = await Http.SendAsync(create);
        if (created.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            throw new InvalidOperationException($"Creating the negotiation: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");

        var events = new JsonArray(lines.Skip(1).Select(l => (JsonNode)JsonNode.Parse(l)!).ToArray());
        using var post = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{NegotiationId}/events") { Content = JsonContent.Create(new JsonObject { ["events"] = events }) };
        post.Headers.Add(ApiKeys.Header, ApiKey);
        using var posted = await Http.SendAsync(post);
        if (posted.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Posting the seed: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
    }

    /// <summary>The host compiles each endpoint on its first call: make those calls before a browser waits on them.</summary>
    async Task WarmUpAsync()
    {
        foreach (var url in new[] { "/", Page("state?asOf=2025-04-15"), Page("stages"), Page("timeline?pageSize=500"), Page("summary"), $"/api/negotiations/{NegotiationId}", "/api/negotiations", "/api/event-types" })
            (await Http.GetAsync(url)).EnsureSuccessStatusCode();
        static string Page(string rest) => $"/api/negotiations/{NegotiationId}/{rest}";
    }

    public string AppOutput { get { lock (_appOutput) return _appOutput.ToString(); } }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        Http?.Dispose();
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        _app?.Dispose();
        if (_locator is not null)
        {
            try { await _locator.DropDatabaseAsync(DatabaseName); }
            catch (Exception e) { Console.Error.WriteLine($"Could not drop test database {DatabaseName}: {e.Message}"); }
        }
        _logging.Dispose();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Normalization.sln"))) return dir.FullName;
        throw new InvalidOperationException("Normalization.sln not found above " + AppContext.BaseDirectory);
    }
}
