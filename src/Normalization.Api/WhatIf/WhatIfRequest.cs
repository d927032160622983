using System.Text.Json;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;
using Normalization.Domain.WhatIf;
using DomainWhatIf = Normalization.Domain.WhatIf.WhatIf;

namespace Normalization.Api.WhatIf;

/// <summary>
/// The hypothetical changes of a what-if, as sent: <c>{ "add": [flat events], "remove": [eventIds], "replace": [{ "eventId", "event" }] }</c>.
/// <see cref="Raw"/> keeps the three arrays exactly as received, which is all a saved scenario stores.
/// </summary>
public sealed record WhatIfChanges(IReadOnlyList<NegotiationEvent> Add, IReadOnlyList<Guid> Remove, IReadOnlyList<(Guid EventId, NegotiationEvent Event)> Replace, string Raw)
{
    public const int MaxChanges = 1000;
    public static readonly string[] Fields = ["add", "remove", "replace"];

    /// <summary>
    /// These changes with an id for each added or replacing event that was sent without one, derived from
    /// <paramref name="seed"/> and the event's place (<c>add[i]</c>, <c>replace[i].event</c>) — not drawn at random — so that
    /// every re-run of one saved scenario names its hypothetical events alike (two reads of
    /// <c>GET …/scenarios/{name}</c> answer the same ids, as an import derives a line's id: <c>NdjsonHistory.DerivedId</c>).
    /// The seed is the scenario's id and its saved text: saved again with other changes, its events get other ids.
    /// </summary>
    public WhatIfChanges WithStableIds(string seed)
    {
        NegotiationEvent WithId(NegotiationEvent e, string path) =>
            e.EventId != Guid.Empty ? e : e with { EventId = Normalization.Domain.Histories.NdjsonHistory.DerivedId(seed + "\n" + path) };
        return this with
        {
            Add = [.. Add.Select((e, i) => WithId(e, $"add[{i}]"))],
            Replace = [.. Replace.Select((r, i) => (r.EventId, WithId(r.Event, $"replace[{i}].event")))],
        };
    }

    /// <summary>
    /// These changes as every what-if of <paramref name="negotiationId"/> runs them: <see cref="WithStableIds"/> seeded with the
    /// negotiation (the saved scenario's id when <paramref name="scenario"/> is given: <c>SavedScenario.IdOf</c>) and
    /// <see cref="Raw"/>. One seed for each way a what-if is asked — a one-off <c>POST …/what-if</c>, the answer of the save
    /// (<c>POST …/scenarios</c>) and every re-run of that scenario — so one question answers the same ids each time it is asked,
    /// and a save's answer names the events its re-runs name (it named random GUIDs no re-run ever gave).
    /// </summary>
    public WhatIfChanges Named(string negotiationId, string? scenario = null) =>
        WithStableIds((scenario is null ? negotiationId : SavedScenario.IdOf(negotiationId, scenario)) + "\n" + Raw);

    /// <summary>Reads the three arrays of <paramref name="body"/>; every problem goes to <paramref name="errors"/> with its path.</summary>
    public static WhatIfChanges Read(JsonElement body, List<FieldError> errors)
    {
        var add = new List<NegotiationEvent>();
        var remove = new List<Guid>();
        var replace = new List<(Guid, NegotiationEvent)>();
        var raw = new Dictionary<string, JsonElement>();
        var total = 0;
        bool Array(string name, out JsonElement list)
        {
            if (!body.TryGetProperty(name, out list) || list.ValueKind == JsonValueKind.Null) return false;
            if (list.ValueKind != JsonValueKind.Array) { errors.Add(new(name, "wrong_type", $"{name} must be an array.")); return false; }
            total += list.GetArrayLength();
            if (total > MaxChanges) { errors.Add(new(name, "too_many", $"At most {MaxChanges} changes in one what-if.")); return false; }
            raw[name] = list;
            return true;
        }
        if (Array("add", out var adds))
        {
            var i = 0;
            foreach (var item in adds.EnumerateArray())
                if (EventItems.Read(item, $"add[{i++}]", errors) is { } e) add.Add(e);
        }
        if (Array("remove", out var removes))
        {
            var i = 0;
            foreach (var item in removes.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && Strict.TryGuid(item.GetString(), out var g))
                {
                    if (remove.Contains(g)) errors.Add(ChangeRules.RemovedTwice($"remove[{i}]", g));
                    else remove.Add(g);
                }
                else if (item.ValueKind == JsonValueKind.Null) errors.Add(new($"remove[{i}]", "required", "A null item: list the eventId (GUID) of a recorded event."));
                else errors.Add(ChangeRules.NotAnIdToRemove($"remove[{i}]"));
                i++;
            }
        }
        if (Array("replace", out var replaces))
        {
            var i = 0;
            foreach (var item in replaces.EnumerateArray())
            {
                var path = $"replace[{i++}]";
                if (item.ValueKind == JsonValueKind.Null) { errors.Add(new(path, "required", "A null item: each item of replace is { \"eventId\", \"event\" }.")); continue; }
                if (item.ValueKind != JsonValueKind.Object) { errors.Add(new(path, "wrong_type", "Each item of replace is { \"eventId\": recorded event, \"event\": flat event }.")); continue; }
                foreach (var p in item.EnumerateObject())
                    if (p.Name is not ("eventId" or "event")) errors.Add(new($"{path}.{Short(p.Name)}", "unknown_field", "Unknown field. Allowed: eventId, event."));
                Guid? target = null;
                if (item.TryGetProperty("eventId", out var idEl) && idEl.ValueKind == JsonValueKind.String && Strict.TryGuid(idEl.GetString(), out var g)) target = g;
                else if (idEl.ValueKind == JsonValueKind.Undefined) errors.Add(new($"{path}.eventId", "required", "eventId must be the GUID of the recorded event to replace."));
                else errors.Add(ChangeRules.NotAnIdToReplace($"{path}.eventId"));
                NegotiationEvent? e = null;
                if (item.TryGetProperty("event", out var evEl)) e = EventItems.Read(evEl, $"{path}.event", errors);
                else errors.Add(new($"{path}.event", "required", "event is required: the flat event that replaces it."));
                // One change per recorded event: replaced twice, or both removed and replaced, is ambiguous.
                if (target is { } dup && (replace.Any(r => r.Item1 == dup) || remove.Contains(dup)))
                    errors.Add(ChangeRules.ChangedTwice($"{path}.eventId", dup));
                else if (target is { } t && e is not null) replace.Add((t, e));
            }
        }
        return new WhatIfChanges(add, remove, replace, JsonSerializer.Serialize(raw));
    }

    /// <summary>Applies the changes to a branch, in the order the body lists them (so error paths match the body).</summary>
    public Branch ApplyTo(Branch branch)
    {
        foreach (var (id, e) in Replace) branch = branch.Replace(id, e);
        foreach (var id in Remove) branch = branch.Remove(id);
        return branch.Add(Add.ToArray());
    }

    static string Short(string s) => s.Length > 40 ? s[..40] : s;
}

/// <summary>Reads a what-if body and runs it against a negotiation's recorded history. Nothing is written.</summary>
public static class WhatIfRunner
{
    /// <summary>The fields of a what-if body.</summary>
    public static readonly string[] WhatIfFields = ["asOf", "knownAt", "projectTo", .. WhatIfChanges.Fields];

    /// <summary>Branch point, the instant the record is read as of, and the date to project to (each optional).</summary>
    public sealed record Options(DateOnly? AsOf, DateTimeOffset? KnownAt, DateOnly? ProjectTo);

    /// <summary>Parses dates given as YYYY-MM-DD (or YYYY-MM / YYYY: the end of that period).</summary>
    public static DateOnly? Date(JsonElement body, string name, List<FieldError> errors)
    {
        if (!body.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null) return null;
        if (el.ValueKind == JsonValueKind.String && DomainDate.TryParse(el.GetString(), out var d))
        {
            if (d.Year is >= 1 and <= 9998) return d.End;
            errors.Add(new(name, "out_of_range", $"{name} must be on or before {Http.Query.LastDate}."));
            return null;
        }
        errors.Add(new(name, "invalid_date", $"{name} must be a date: YYYY-MM-DD (or YYYY-MM / YYYY, meaning the end of that period)."));
        return null;
    }

    /// <summary>A projection runs forward from the branch point: <c>projectTo</c> before <c>asOf</c> (default today) is <c>out_of_range</c> — the domain's rule, <see cref="Branch.ProjectionProblem"/>.</summary>
    public static FieldError? ProjectionProblem(DateOnly? asOf, DateOnly? projectTo, DateOnly today) =>
        Branch.ProjectionProblem(asOf ?? today, projectTo, asOf is null ? "today by default" : null);

    /// <summary>Parses an ISO 8601 instant with Z or an offset (a date alone: 00:00 UTC).</summary>
    public static DateTimeOffset? Instant(JsonElement body, string name, List<FieldError> errors)
    {
        if (!body.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null) return null;
        DateTimeOffset i = default;
        var reading = el.ValueKind == JsonValueKind.String ? Strict.ReadInstant(el.GetString(), out i) : Strict.InstantReading.Invalid;
        if (reading == Strict.InstantReading.Ok) return i;
        if (reading == Strict.InstantReading.OutOfRange) { errors.Add(Query.InstantOutOfRange(name)); return null; }
        errors.Add(new(name, "invalid_instant", $"{name} must be an ISO 8601 instant with Z or an offset, e.g. 2025-04-01T00:00:00Z (a date alone means 00:00 UTC)."));
        return null;
    }

    /// <summary>Each property of <paramref name="body"/> not in <paramref name="allowed"/> is an <c>unknown_field</c> error.</summary>
    public static void UnknownFields(JsonElement body, IReadOnlyCollection<string> allowed, List<FieldError> errors)
    {
        foreach (var p in body.EnumerateObject())
            if (!allowed.Contains(p.Name))
                errors.Add(new(p.Name.Length > 40 ? p.Name[..40] : p.Name, "unknown_field", $"Unknown field. Allowed: {string.Join(", ", allowed)}."));
    }

    /// <summary>
    /// Runs the changes on the history as recorded (at <c>knownAt</c>, if given). Null when there is no such history. On the
    /// current record the branch starts from the checkpoint before the earliest change (<see cref="NegotiationStore.CheckpointBranchAsync"/>);
    /// as known at an instant, or when a change needs the whole record, it folds the whole record.
    /// </summary>
    public static async Task<WhatIfResult?> RunAsync(NegotiationStore store, string id, WhatIfChanges changes, Options options, CancellationToken ct)
    {
        var asOf = options.AsOf ?? store.Today;
        if (options.KnownAt is null
            && await store.CheckpointBranchAsync(id, [.. changes.Add, .. changes.Replace.Select(r => r.Event)], [.. changes.Remove, .. changes.Replace.Select(r => r.EventId)], asOf, ct) is { } fromCheckpoint)
            return changes.ApplyTo(fromCheckpoint.Today(store.Today).AsOf(asOf)).Project(options.ProjectTo);
        var history = await store.LoadHistoryAsync(id, options.KnownAt, ct);
        if (history is null) return null;
        var branch = DomainWhatIf.From(history.Opening, history.Events.Select(r => r.Event))
            .Today(store.Today)
            .AsOf(options.AsOf ?? store.Today);
        // As known at an instant the changes are judged against the record as it stood then: each error says so, in the
        // branch's own words — those the package gives a branch loaded with knownAt (Branch.KnownAtNote).
        if (options.KnownAt is { } knownAt) branch = branch.AsKnownAt(knownAt);
        return changes.ApplyTo(branch).Project(options.ProjectTo);
    }

    /// <summary>
    /// 422 <c>validation_failed</c>: the changes break the rules real events obey (each error with its path). As known at an
    /// instant each message already says which record the changes were judged against (<see cref="Branch.KnownAtNote"/>),
    /// so "No event … in this negotiation" of an event recorded later is not read as an event that does not exist.
    /// </summary>
    public static IResult Invalid(WhatIfResult r) => Problems.Validation(r.Errors, StatusCodes.Status422UnprocessableEntity);
}
