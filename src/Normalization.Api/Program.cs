using Normalization.Api.Telemetry;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Normalization.Api.Commands;
using Normalization.Api.Database;
using Normalization.Api.Health;
using Normalization.Api.Importing;
using Normalization.Api.Security;
using Normalization.Domain.Catalog;
using Normalization.Api.Storage;
using Scalar.AspNetCore;
using Wolverine;
using Wolverine.Http;

var builder = WebApplication.CreateBuilder(args);

// The data commands (import, export, state, …) keep stdout for their output: logs go to stderr, warnings and up.
var dataCommand = args.Length > 0 && DataCommands.Names.Contains(args[0]);
if (dataCommand)
{
    builder.Logging.ClearProviders();
    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning"), new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")]);
    DataCommands.KeepStdoutForResults();
}

// Serve on http://localhost:5080 unless ASPNETCORE_URLS / --urls / ASPNETCORE_HTTP_PORTS say otherwise.
if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) &&
    string.IsNullOrWhiteSpace(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls("http://localhost:5080");
}

// In Production the app reads its connection string and nothing else: finding or starting a server (PostgresLocator) is
// for Development (`dotnet run` uses the Development launch profile) and the tests.
if (builder.Environment.IsProduction() && string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(PostgresLocator.ConnectionStringName)))
{
    await Console.Error.WriteLineAsync($"In Production the app uses ConnectionStrings__{PostgresLocator.ConnectionStringName} and nothing else: set it " +
        "(Host=…;Database=…;Username=…;Password=…), or run in Development (`dotnet run --project src/Normalization.Api` does), which finds or starts PostgreSQL.");
    return 2;
}

// Find or start PostgreSQL before anything needs it: configured server, private cluster, Docker, or a clear failure.
string connectionString;
using (var bootstrapLogging = LoggerFactory.Create(l =>
       {
           l.AddSimpleConsole(o => o.SingleLine = true);
           if (dataCommand) l.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
       }))
{
    var locator = new PostgresLocator(builder.Configuration, bootstrapLogging.CreateLogger<PostgresLocator>());
    try
    {
        connectionString = await locator.ResolveApplicationConnectionStringAsync(PostgresLocator.ApplicationDatabase);
    }
    catch (PostgresLocatorException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return 2;
    }
}

builder.Host.UseWolverine(opts =>
{
    opts.UseRuntimeCompilation();
});

builder.Services.AddNormalizationStorage(connectionString);
builder.Services.AddSingleton<Importer>();
builder.Services.AddSingleton<Exporter>();
// First run: load the seed history into an empty store (after Marten's own startup work, registered above).
builder.Services.AddHostedService<ReadModelUpgrade>();
builder.Services.AddHostedService<SeedData>();

// Writes need an API key; with none configured, the run command makes a development key once.
if (!dataCommand && !args.Any(a => a is "codegen" or "describe" or "help") && !builder.Configuration.GetSection("ApiKeys").GetChildren().Any())
{
    string dataRoot;
    try { dataRoot = PostgresLocator.ResolveDataRoot(); }
    catch (PostgresLocatorException) { dataRoot = Path.Combine(Path.GetTempPath(), "normalization"); }
    DevelopmentKey.AddTo(builder.Configuration, dataRoot, Console.Out);
}
builder.Services.AddSingleton<ApiKeys>();
ApiKeyAuthentication.AddApiKeyAuthentication(builder.Services);
builder.AddHardening();
builder.AddTelemetry();
builder.Services.ConfigureHttpJsonOptions(o => EventJson.Configure(o.SerializerOptions));
builder.Services.AddWolverineHttp();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<Normalization.Api.Http.DatabaseUnavailableHandler>();
builder.Services.AddOpenApi(o => o.AddDocumentTransformer<Normalization.Api.Http.OpenApiContract>());
// The health check takes the process's one NpgsqlDataSource from the container (no pool of its own).
builder.Services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database", tags: ["db"]);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseHardening();
app.UseAuthentication();
app.UseAuthorization();

// The web page (wwwroot): the board at /, a negotiation at /negotiations/{id}. It talks only to the JSON API.
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGet("/negotiations/{id}", (string id) => Results.File("negotiation.html", "text/html; charset=utf-8")).ExcludeFromDescription();

app.MapOpenApi();
app.MapScalarApiReference();
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
app.MapWolverineEndpoints(opts => opts.ConfigureEndpoints(ApiKeyAuthentication.RequireKeyForWrites));

return await app.RunJasperFxCommands(args);

public partial class Program;
