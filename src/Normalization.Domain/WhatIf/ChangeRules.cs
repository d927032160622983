using Normalization.Domain.Validation;

namespace Normalization.Domain.WhatIf;

/// <summary>
/// The rules a what-if's removals and replacements obey by themselves, before any event is judged: each names a recorded
/// event, and names it once. One source for <see cref="Branch.Project"/> and the HTTP body reader (which answers them
/// with a 400 as it reads the body), so the library and the API refuse the same change with the same path, code and
/// message (docs/what-if.md, "The rules of a branch").
/// </summary>
public static class ChangeRules
{
    /// <summary><c>unknown_reference</c>: <paramref name="eventId"/> (at <paramref name="path"/>) is not an event of the negotiation.</summary>
    public static FieldError NotRecorded(string path, Guid eventId) =>
        new(path, "unknown_reference", $"No event {eventId} in this negotiation.");

    /// <summary><c>unknown_reference</c>: a filter (at <paramref name="path"/>) that matches no recorded event removes nothing — said, as an unknown id is.</summary>
    public static FieldError NothingMatched(string path) =>
        new(path, "unknown_reference", "The filter matches no event recorded in this negotiation: it removes nothing.");

    /// <summary>
    /// <c>invalid_guid</c>: an item of <c>remove</c> (at <paramref name="path"/>) that is no event's id — the empty GUID
    /// (all zeros), which no event has (<see cref="Strict.TryGuid"/>), or over HTTP any value that is not a GUID.
    /// </summary>
    public static FieldError NotAnIdToRemove(string path) =>
        new(path, "invalid_guid", "Each item of remove must be the eventId (GUID) of a recorded event.");

    /// <summary><c>invalid_guid</c>: the <c>eventId</c> of a replacement (at <paramref name="path"/>, <c>replace[i].eventId</c>) that is no event's id, as <see cref="NotAnIdToRemove"/>.</summary>
    public static FieldError NotAnIdToReplace(string path) =>
        new(path, "invalid_guid", "eventId must be the GUID of the recorded event to replace.");

    /// <summary><c>duplicate_item</c>: <paramref name="eventId"/> is removed a second time (at <paramref name="path"/>, <c>remove[i]</c>).</summary>
    public static FieldError RemovedTwice(string path, Guid eventId) =>
        new(path, "duplicate_item", $"remove lists {eventId} more than once.");

    /// <summary><c>duplicate_item</c>: <paramref name="eventId"/> is replaced although already removed or replaced (at <paramref name="path"/>, <c>replace[i].eventId</c>): one change per recorded event.</summary>
    public static FieldError ChangedTwice(string path, Guid eventId) =>
        new(path, "duplicate_item", $"{eventId} is already removed or replaced in this what-if.");
}
