using JasperFx.CommandLine;
using Normalization.Api.Importing;
using Spectre.Console;

namespace Normalization.Api.Commands;

public class LibraryInput : DataInput
{
    [Description("list (the shipped histories) or load")]
    public string Action { get; set; } = "list";

    [Description("With load: the histories to load (default: all)")]
    public string[] Names { get; set; } = [];
}

[Description("The shipped library of real normalizations (docs/library.md): library list; library load, optionally with names", Name = "library")]
public sealed class LibraryCommand : DataCommand<LibraryInput>
{
    public LibraryCommand()
    {
        Usage("List the shipped histories, or load them all").Arguments(x => x.Action);
        Usage("Load the named histories").Arguments(x => x.Action, x => x.Names);
    }

    protected override async Task<bool> Run(LibraryInput input, IServiceProvider services, CancellationToken ct)
    {
        switch (input.Action)
        {
            case "list":
                var names = Library.Names();
                if (input.JsonFlag) { WriteJson(names); return true; }
                var table = new Table().Title("Library").AddColumns("Name");
                foreach (var n in names) table.AddRow(Esc(n));
                Out.Write(table);
                return true;
            case "load":
                IReadOnlyList<ImportReport> reports;
                try { reports = await services.GetRequiredService<Library>().LoadAsync(input.Names, "library", ct); }
                catch (ArgumentException e) { throw new CliException(e.Message); }
                if (input.JsonFlag) { WriteJson(reports); return reports.All(r => r.Succeeded); }
                var summary = new Table().AddColumns("Negotiation", "Created", "Events", "Stored", "Duplicates", "Result");
                foreach (var r in reports)
                    summary.AddRow(Esc(r.NegotiationId ?? ""), r.Created ? "yes" : "no", r.Events.ToString("N0"), r.Stored.ToString("N0"), r.Duplicates.ToString("N0"),
                        r.Succeeded ? "ok" : Esc(string.Join("; ", r.Errors.Take(3).Select(e => $"line {e.Line} {e.Path}: {e.Message}"))));
                Out.Write(summary);
                return reports.All(r => r.Succeeded);
            default:
                throw new CliException($"Unknown action '{input.Action}': use list or load.");
        }
    }
}
