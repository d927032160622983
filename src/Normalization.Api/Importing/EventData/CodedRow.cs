using Normalization.Domain.EventData;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing.EventData;

/// <summary>The machine-coded event-data formats the importer reads (docs/event-data.md).</summary>
public enum EventDataFormat { Gdelt, Icews, Polecat }

/// <summary>
/// One row of event data between the two parties, as read: its line, the source's own id (GLOBALEVENTID, Event ID),
/// the day, which party acted (<see cref="Actor"/>) on which (<see cref="Target"/>) as indexes into
/// <see cref="PartyMatcher.Parties"/>, the code (CAMEO code, or PLOVER type and mode), where it was reported and, for GDELT,
/// the number of sources GDELT counted for it.
/// </summary>
public sealed record CodedRow(int Line, string SourceId, DateOnly Date, int Actor, int Target, CodeScheme Scheme, string Code, string? Mode,
    string? Publisher, string? Url, int NumSources);

/// <summary>What reading a file of event data did with its rows: the counts of the import report.</summary>
public sealed class EventDataTally
{
    /// <summary>Data rows read (blank rows not counted).</summary>
    public int Rows { get; set; }
    /// <summary>Rows skipped because an actor is neither party (the bulk of any file).</summary>
    public int OtherActors { get; set; }
    /// <summary>Rows skipped because both actors are the same party.</summary>
    public int SameParty { get; set; }
    /// <summary>Rows skipped because an actor matches both parties' codes equally well.</summary>
    public int Ambiguous { get; set; }
    /// <summary>Rows skipped because their source id appeared earlier in the file (overlapping exports put together).</summary>
    public int RepeatedIds { get; set; }
    /// <summary>Rows between the parties whose code maps to a catalog type.</summary>
    public int MappedRows { get; set; }
    /// <summary>The events those rows were merged into (same day, dyad and mapped type).</summary>
    public int Events { get; set; }
    /// <summary>Rows between the parties whose code has no row in the mapping, by code (<c>CAMEO 1056</c>, <c>PLOVER PROTEST/demo</c>).</summary>
    public SortedDictionary<string, int> Unmapped { get; } = new(StringComparer.Ordinal);
    /// <summary>Rows between the parties whose code the mapping ignores on purpose, by code.</summary>
    public SortedDictionary<string, int> Ignored { get; } = new(StringComparer.Ordinal);
    /// <summary>Bad rows (wrong column count, a date that is not one), with their lines.</summary>
    public List<LineError> Errors { get; } = [];
}
