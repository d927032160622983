using Normalization.Api.Storage;

namespace Normalization.Api.Importing;

/// <summary>
/// First run: when the store has no negotiation, load the shipped US–Taliban history (Seed/us-taliban.ndjson, copied
/// next to the app) so the first page view shows something real. <c>Normalization:LoadSeedData=false</c>
/// (environment <c>Normalization__LoadSeedData=false</c>) turns it off. It is Marten initial data
/// (<c>InitializeWith&lt;SeedData&gt;()</c> in <see cref="MartenSetup"/>): Marten runs it at start-up, once its schema is
/// in place; a failure is logged and never stops the app. When another process (a second app node starting at the same
/// moment) loads it first, this one says so at Information and loads nothing.
/// </summary>
public sealed class SeedData(IServiceProvider services, IConfiguration configuration, ILogger<SeedData> logger) : Marten.Schema.IInitialData
{
    public const string Setting = "Normalization:LoadSeedData";
    public static string SeedFile => Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson");

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue(Setting, true);

    /// <summary>Marten's initial-data hook: loads the seed into an empty store.</summary>
    public async Task Populate(Marten.IDocumentStore store, CancellationToken ct)
    {
        if (!Enabled(configuration)) return;
        try
        {
            var negotiations = services.GetRequiredService<NegotiationStore>();
            if ((await negotiations.NegotiationIdsAsync(ct)).Count > 0) return;
            if (!File.Exists(SeedFile)) { logger.LogWarning("No seed file at {File}; starting with an empty store.", SeedFile); return; }
            ImportReport report;
            try { report = await services.GetRequiredService<Importer>().ImportAsync(new ImportRequest { Path = SeedFile, PostedBy = "seed" }, ct: ct); }
            catch (ImportException) when (!ct.IsCancellationRequested)
            {
                // Two processes starting at once on an empty store (two app nodes): both saw it empty, the other stored first
                // and this import refused, all or nothing. The store is not empty any more: nothing was wrong, nothing to do.
                if ((await negotiations.NegotiationIdsAsync(ct)).Count == 0) throw;
                logger.LogInformation("Another process starting at the same moment loaded the seed history first; nothing to load.");
                return;
            }
            if (report is { Succeeded: true, Created: false, Stored: 0 })
            {
                // The other process stored first and this import, validated again, found every event already there.
                logger.LogInformation("Another process starting at the same moment loaded the seed history first; nothing to load.");
                return;
            }
            if (report.Succeeded)
                logger.LogInformation("Empty store: loaded the seed history '{Id}' ({Stored} events). Set {Setting}=false to start empty.", report.NegotiationId, report.Stored, Setting);
            else
                logger.LogWarning("The seed history was not loaded: {Errors}", string.Join("; ", report.Errors.Take(5).Select(e => $"line {e.Line} {e.Path}: {e.Message}")));
            // The library of real histories is offered, not imposed: loaded on the first run only when asked.
            if (configuration.GetValue(Library.LoadOnFirstRunSetting, false))
            {
                var loaded = await services.GetRequiredService<Library>().LoadAsync([], "library", ct);
                logger.LogInformation("Loaded the library: {Histories}.", string.Join(", ", loaded.Select(r => $"{r.NegotiationId} ({(r.Succeeded ? r.Stored + " events" : "failed")})")));
            }
            else
                logger.LogInformation("The library of {Count} real normalizations is not loaded: run 'library load' or set {Setting}=true (docs/library.md).", Library.Names().Count, Library.LoadOnFirstRunSetting);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The seed history was not loaded.");
        }
    }
}
