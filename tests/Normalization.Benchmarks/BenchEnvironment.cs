using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Alba;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Normalization.Api.Database;
using Normalization.Api.Importing;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Npgsql;

namespace Normalization.Benchmarks;

/// <summary>
/// A fresh database, an in-process host for direct calls (<see cref="NegotiationStore"/>, <see cref="Importer"/>) and an HTTP client
/// for the API: the built API as a separate process on a loopback port, or (when <c>inProcessApi</c>) the in-process host's TestServer.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    public const string ApiKey = "bench-key-for-normalization";
    readonly ILoggerFactory _logging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
    PostgresLocator? _locator;
    Process? _app;
    readonly StringBuilder _appOutput = new();

    public string DatabaseName { get; } = $"normalization_bench_{Guid.NewGuid():N}"[..28];
    public string ConnectionString { get; private set; } = "";
    public IAlbaHost Host { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public string ApiDescription { get; private set; } = "";
    public NegotiationStore Store => Host.Services.GetRequiredService<NegotiationStore>();
    public Importer Importer => Host.Services.GetRequiredService<Importer>();
    public NpgsqlDataSource DataSource => Host.Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>
    /// The database of the API process when it was given its own (<c>--api-dll</c>): another build's API — the <i>before</i> of a
    /// before/after comparison — may not know this build's schema, so it runs on a database its own <c>db-apply</c> created.
    /// Null when the API shares <see cref="DatabaseName"/>.
    /// </summary>
    public string? ApiDatabaseName { get; private set; }

    /// <param name="apiDll">The API build to start (<c>--api-dll</c>); null: the one built beside this program, on the harness's database.</param>
    public static async Task<BenchEnvironment> StartAsync(bool inProcessApi, TextWriter log, string? apiDll = null)
    {
        var env = new BenchEnvironment();
        env._locator = new PostgresLocator(configuration: null, env._logging.CreateLogger<PostgresLocator>());
        env.ConnectionString = await env._locator.EnsureDatabaseAsync(env.DatabaseName);
        log.WriteLine($"database {env.DatabaseName}");

        JasperFxEnvironment.AutoStartHost = true;
        // Settings go in as host settings (command-line arguments of Program), not environment variables: a test host may run in the same process.
        env.Host = await AlbaHost.For<global::Program>(b =>
        {
            foreach (var (k, v) in Settings(env.ConnectionString)) b.UseSetting(k, v);
            if (RepositoryRoot() is { } root) b.UseContentRoot(Path.Combine(root, "src", "Normalization.Api"));
        });

        // Program must have taken the settings above, not a connection string from the environment.
        var used = new NpgsqlConnectionStringBuilder(env.DataSource.ConnectionString).Database;
        if (used != env.DatabaseName) throw new InvalidOperationException($"The host uses database {used}, not {env.DatabaseName}.");

        var dll = apiDll is null ? ApiDll() : Path.GetFullPath(apiDll);
        if (!inProcessApi && dll is not null)
        {
            var url = $"http://127.0.0.1:{FreePort()}";
            var apiConnectionString = env.ConnectionString;
            if (apiDll is not null)
            {
                env.ApiDatabaseName = env.DatabaseName + "_api";
                apiConnectionString = await env._locator.EnsureDatabaseAsync(env.ApiDatabaseName);
                await ApplySchemaAsync(dll, apiConnectionString);
                log.WriteLine($"API database {env.ApiDatabaseName} (schema by {dll} db-apply)");
            }
            env.StartApp(dll, url, apiConnectionString);
            env.Api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
                { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
            await env.WaitUntilHealthyAsync();
            env.ApiDescription = $"the built API ({Path.GetRelativePath(RepositoryRoot() ?? ".", dll)}) as a separate process, Kestrel on {url} (real loopback HTTP/1.1)" +
                (env.ApiDatabaseName is null ? "" : $", on a database of its own ({env.ApiDatabaseName}, same server)");
        }
        else
        {
            env.Api = env.Host.Server.CreateClient();
            env.ApiDescription = "the in-process host's TestServer (Alba): the whole ASP.NET Core + Wolverine pipeline, but no sockets" +
                (dll is null && !inProcessApi ? " — the built API dll was not found" : "");
        }
        env.Api.DefaultRequestHeaders.Add(ApiKeys.Header, ApiKey);
        return env;
    }

    /// <summary>The host settings of the bench: its database, its key, no seed, write limits out of the way.</summary>
    internal static IEnumerable<(string, string)> Settings(string connectionString) =>
    [
        ("ConnectionStrings:" + PostgresLocator.ConnectionStringName, connectionString),
        ("ApiKeys:bench", ApiKeys.Hash(ApiKey)),
        ("Normalization:LoadSeedData", "false"),
        // The per-key write limit (100/s by default) would measure the limiter, not the store.
        ("Normalization:RateLimit:WritesPerSecond", "1000000"),
        ("Normalization:RateLimit:Burst", "1000000"),
        ("Logging:LogLevel:Default", "Warning"),
        // Section 12's webhooks go to a receiver on loopback.
        ("Normalization:Alerts:AllowedHosts:0", "127.0.0.1"),
    ];

    /// <summary>
    /// CPU time (user + system, all threads) the API process has used so far; null when the API runs in this process. Per
    /// request it is the API's own work, which the machine's load hardly moves (unlike latencies and throughput).
    /// </summary>
    public TimeSpan? ApiCpu()
    {
        if (_app is null || _app.HasExited) return null;
        _app.Refresh();
        return _app.TotalProcessorTime;
    }

    /// <summary>The deploy step of a Production API (`db-apply`) on <paramref name="connectionString"/>, by that build itself.</summary>
    static async Task ApplySchemaAsync(string dll, string connectionString)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "db-apply" }) start.ArgumentList.Add(a);
        start.Environment["ConnectionStrings__" + PostgresLocator.ConnectionStringName] = connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var p = Process.Start(start) ?? throw new InvalidOperationException("Could not run db-apply.");
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"db-apply of {dll} failed ({p.ExitCode}):\n{await output}\n{await errors}");
    }

    void StartApp(string dll, string url, string connectionString)
    {
        var projectDir = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(dll))))!;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = projectDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--urls", url, "--contentRoot", projectDir }) start.ArgumentList.Add(a);
        foreach (var (k, v) in Settings(connectionString)) start.Environment[k.Replace(":", "__")] = v;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        _app = Process.Start(start) ?? throw new InvalidOperationException("Could not start the API host.");
        _app.OutputDataReceived += (_, e) => { lock (_appOutput) _appOutput.AppendLine(e.Data); };
        _app.ErrorDataReceived += (_, e) => { lock (_appOutput) _appOutput.AppendLine(e.Data); };
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
    }

    async Task WaitUntilHealthyAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < until)
        {
            if (_app!.HasExited) throw new InvalidOperationException($"The API host exited ({_app.ExitCode}):\n{_appOutput}");
            try
            {
                using var r = await Api.GetAsync("/health");
                if (r.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The API host did not become healthy:\n{_appOutput}");
    }

    /// <summary>The API dll built in the same configuration as this program.</summary>
    static string? ApiDll()
    {
        var root = RepositoryRoot();
        if (root is null) return null;
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(root, "src", "Normalization.Api", "bin", baseDir.Parent!.Name, baseDir.Name, "Normalization.Api.dll");
        return File.Exists(dll) ? dll : null;
    }

    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Normalization.sln"))) return dir.FullName;
        return null;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        _app?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_locator is not null)
        {
            foreach (var name in new[] { DatabaseName, ApiDatabaseName }.OfType<string>())
            {
                try { await _locator.DropDatabaseAsync(name); }
                catch (Exception e) { Console.Error.WriteLine($"Could not drop {name}: {e.Message}"); }
            }
        }
        _logging.Dispose();
    }
}
