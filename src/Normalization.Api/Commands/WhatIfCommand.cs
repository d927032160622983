using System.Text.Json;
using JasperFx.CommandLine;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Api.WhatIf;
using Normalization.Domain.Validation;
using Normalization.Domain.WhatIf;
using Spectre.Console;

namespace Normalization.Api.Commands;

public class WhatIfInput : IdInput
{
    [Description("The branch point, yyyy-MM-dd (yyyy-MM / yyyy: the end of that period); default today")]
    public string? AsOfFlag { get; set; }

    [Description("Branch the record as it was known at this instant (e.g. 2025-04-15T00:00:00Z)")]
    public string? KnownAtFlag { get; set; }

    [Description("Project the branch to this date, not before the branch point (default: the rule of docs/what-if.md)")]
    public string? ProjectToFlag { get; set; }

    [Description("NDJSON file of hypothetical events to add, one flat event a line (the body's add)")]
    [FlagAlias("add", true)] // -a is --as-of's
    public string? AddFlag { get; set; }

    [Description("eventIds of recorded events to leave out; repeat for more (--remove ID --remove ID, or --remove ID ID)")]
    [FlagAlias("remove", true)] // -r would name --remove and --replace alike (CliFlagAliasTests)
    public List<string> RemoveFlag { get; set; } = [];

    [Description("NDJSON file of replacements, one { \"eventId\": recorded event, \"event\": flat event } a line (the body's replace)")]
    [FlagAlias("replace", true)]
    public string? ReplaceFlag { get; set; }
}

/// <summary>
/// <c>what-if</c>: the question <c>POST …/what-if</c> answers, asked from the command line. The options are written into the
/// endpoint's body (<c>asOf</c>, <c>knownAt</c>, <c>projectTo</c>, the <c>--add</c> file's lines as <c>add</c>, each
/// <c>--remove</c> as an item of <c>remove</c>, the <c>--replace</c> file's lines as <c>replace</c>), which the endpoint's own
/// reader (<see cref="WhatIfRequest.Read"/>) and runner (<see cref="WhatIfRunner"/>) take: one code path, so <c>--json</c>
/// is the HTTP answer and an invalid change has HTTP's code and path.
/// </summary>
[Description("What if: the stage, ledger and momentum with hypothetical events added, recorded ones removed or replaced, at a branch point, as known at an instant (nothing is stored)", Name = "what-if")]
public sealed class WhatIfCommand : DataCommand<WhatIfInput>
{
    protected override async Task<bool> Run(WhatIfInput input, IServiceProvider services, CancellationToken ct)
    {
        var store = services.GetRequiredService<NegotiationStore>();
        var remove = ListOption("--remove", input.RemoveFlag);
        if (input.AddFlag is null && input.ReplaceFlag is null && remove.Count == 0)
            throw new CliException("Give at least one change: --add events.ndjson, --remove eventId or --replace replacements.ndjson.");

        // The options first, by the body's own reader (an options-only body has no change to refuse), as the other commands
        // read theirs before the negotiation is looked up; each error names its option (--as-of, not asOf).
        (string Flag, string? Value)[] options = [("as-of", input.AsOfFlag), ("known-at", input.KnownAtFlag), ("project-to", input.ProjectToFlag)];
        var optionErrors = new List<FieldError>();
        Read(Body(options, null, [], null), store.Today, optionErrors);
        if (optionErrors.Count > 0) throw OptionErrors(optionErrors, options);

        await RequireAsync(store, input.Id, ct);
        var add = Lines(input.AddFlag, "events");
        var replace = Lines(input.ReplaceFlag, "replacements");

        var errors = new List<FieldError>();
        var request = Read(Body(options, add, remove, replace), store.Today, errors);
        // HTTP's 400: a change the endpoint cannot read (remove[0] not a GUID, add[1].occurredOn not a date…).
        if (errors.Count > 0) return await Invalid(input, errors, add, remove, replace);

        var result = await WhatIfRunner.RunAsync(store, input.Id, request.Changes.Named(input.Id), request.Options, ct)
            ?? throw new CliException(await NotKnownThenAsync(store, input.Id, request.Options.KnownAt, ct));
        // HTTP's 422: readable, but a change breaks the rules real events obey (remove[0] unknown_reference…).
        if (!result.IsValid) return await Invalid(input, result.Errors, add, remove, replace);
        // The HTTP answer's type (POST …/what-if), so a script reads the same shape from either.
        if (input.JsonFlag) { WriteJson(WhatIfResponse.Of(input.Id, result, request.Options.KnownAt)); return true; }
        Show(input.Id, result, request.Options.KnownAt);
        return true;
    }

    /// <summary>The endpoint's reader on <paramref name="body"/>: the request, its errors in <paramref name="errors"/>.</summary>
    static WhatIfRequest Read(string body, DateOnly today, List<FieldError> errors)
    {
        using var doc = JsonDocument.Parse(body);
        WhatIfRequest.Read(doc.RootElement, today, errors, out var request);
        return request!;
    }

    /// <summary>
    /// The body of <c>POST …/what-if</c> these options stand for: each option given as its field (a value as typed, a JSON
    /// string), each file line as it is written (so the ids <see cref="WhatIfChanges.Named"/> derives are HTTP's for the same events).
    /// </summary>
    static string Body((string Flag, string? Value)[] options, IReadOnlyList<Line>? add, IReadOnlyList<string> remove, IReadOnlyList<Line>? replace)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (flag, value) in options)
                if (value is not null) w.WriteString(Field(flag), value);
            if (add is not null) { w.WriteStartArray("add"); foreach (var l in add) w.WriteRawValue(l.Json); w.WriteEndArray(); }
            if (remove.Count > 0) { w.WriteStartArray("remove"); foreach (var id in remove) w.WriteStringValue(id); w.WriteEndArray(); }
            if (replace is not null) { w.WriteStartArray("replace"); foreach (var l in replace) w.WriteRawValue(l.Json); w.WriteEndArray(); }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The body field an option stands for: <c>as-of</c> is <c>asOf</c>.</summary>
    static string Field(string flag) =>
        string.Concat(flag.Split('-').Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>A non-blank line of a change file: its number in the file and its JSON.</summary>
    sealed record Line(int Number, string Json);

    /// <summary>
    /// The non-blank lines of a change file (null when the option is not given), each checked to be one JSON value: what is
    /// inside is the endpoint's to judge, but a line that is not JSON cannot be put in a body.
    /// </summary>
    static List<Line>? Lines(string? path, string what)
    {
        if (path is null) return null;
        if (!File.Exists(path)) throw new CliException($"No file '{path}'.");
        var lines = new List<Line>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try { using var _ = JsonDocument.Parse(text); }
            catch (JsonException e) { throw new CliException($"{path}: line {number} is not JSON ({e.Message.Split('.')[0]})."); }
            lines.Add(new Line(number, text));
        }
        return lines.Count > 0 ? lines : throw new CliException($"{path} has no {what}.");
    }

    /// <summary>
    /// An answer refused: with <c>--json</c> <c>{ "valid": false, "errors" }</c> on stdout, the <c>errors</c> HTTP's problem lists
    /// (<see cref="Problems.Listed"/>: same paths, codes and messages); one <c>error:</c> line on stderr, each path followed by
    /// what it stands for on the command line (a file's line, a <c>--remove</c> value). Exit code 1, as every refused input.
    /// </summary>
    static async Task<bool> Invalid(WhatIfInput input, IEnumerable<FieldError> errors, List<Line>? add, List<string> remove, List<Line>? replace)
    {
        var listed = Problems.Listed(errors);
        if (input.JsonFlag) WriteJson(new { valid = false, errors = listed });
        string Where(string path)
        {
            var m = System.Text.RegularExpressions.Regex.Match(path, @"\A(add|remove|replace)\[([0-9]+)\]");
            if (!m.Success || !int.TryParse(m.Groups[2].Value, out var i)) return "";
            return m.Groups[1].Value switch
            {
                "add" when add is not null && i < add.Count => $" (line {add[i].Number} of {input.AddFlag})",
                "replace" when replace is not null && i < replace.Count => $" (line {replace[i].Number} of {input.ReplaceFlag})",
                "remove" when i < remove.Count => $" (--remove {Shown(remove[i])})",
                _ => "",
            };
        }
        await Console.Error.WriteLineAsync("error: the changes are not valid: " +
            Shown(string.Join("; ", listed.Take(5).Select(e => $"{e.Path}{Where(e.Path)}: {e.Message}")), int.MaxValue));
        return false;
    }

    /// <summary>The answer as tables: the stage before and after, the transitions that appeared or vanished, the ledger changes.</summary>
    static void Show(string id, WhatIfResult result, DateTimeOffset? knownAt)
    {
        var d = result.Diff;
        var changes = $"{result.Hypothetical.Count(h => h.Replaces is null)} added, {result.Removed.Count - result.Hypothetical.Count(h => h.Replaces is not null)} removed, {result.Hypothetical.Count(h => h.Replaces is not null)} replaced";
        var table = new Table().Title(Esc($"What if on {id}, branched at {result.BranchedAt:yyyy-MM-dd}"
                + (knownAt is null ? "" : $" as known at {knownAt:O}") + $", projected to {result.ProjectedAt:yyyy-MM-dd} ({changes})"))
            .AddColumns("", "Recorded history", "With the changes");
        table.AddRow("Stage", d.StageBefore.ToString(), $"[bold]{d.StageAfter}[/]");
        table.AddRow("Since", d.StageSinceBefore?.ToString("yyyy-MM-dd") ?? "", d.StageSinceAfter?.ToString("yyyy-MM-dd") ?? "");
        table.AddRow("Why", Esc(result.Baseline?.Why.Rule), Esc(result.State.Why.Rule));
        table.AddRow("Momentum", $"{d.Momentum.Before:0.0} ({d.Momentum.TrendBefore})", $"{d.Momentum.After:0.0} ({d.Momentum.TrendAfter})");
        Out.Write(table);
        if (d.TransitionsAppeared.Count + d.TransitionsVanished.Count > 0)
        {
            var t = new Table().Title("Stage transitions").AddColumns("", "On", "From", "To", "Rule");
            foreach (var x in d.TransitionsAppeared) t.AddRow("[green]+[/]", x.On?.ToString("yyyy-MM-dd") ?? "", x.From?.ToString() ?? "", x.To.ToString(), Esc(x.Rule));
            foreach (var x in d.TransitionsVanished) t.AddRow("[red]-[/]", x.On?.ToString("yyyy-MM-dd") ?? "", x.From?.ToString() ?? "", x.To.ToString(), Esc(x.Rule));
            Out.Write(t);
        }
        if (d.LedgerChanges.Count > 0)
        {
            var t = new Table().Title("Ledger changes").AddColumns("Kind", "Key", "Before", "After");
            foreach (var c in d.LedgerChanges) t.AddRow(Esc(c.Kind), Esc(c.Key), Esc(c.Before), Esc(c.After));
            Out.Write(t);
        }
    }
}
