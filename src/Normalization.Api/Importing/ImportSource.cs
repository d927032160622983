using Normalization.Api.Importing.EventData;
using Normalization.Api.Importing.Files;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing;

/// <summary>
/// The records of a file to import, whatever its format, as parsed lines (<see cref="NdjsonHistory.Line"/>): NDJSON lines,
/// CSV rows, or the events merged from a file of event data. The file is opened by <see cref="InputFile"/> (gzip, encodings)
/// and the counts every format shares are kept here: <see cref="BlankRows"/>, and for event data <see cref="EventData"/>.
/// </summary>
public sealed class ImportSource : IDisposable
{
    readonly InputFile _file;
    readonly TabularReader? _table;
    int _blank;

    /// <summary>The records, parsed, in file order (event data: the merged events in day order).</summary>
    public IEnumerable<NdjsonHistory.Line> Lines { get; }

    /// <summary>Rows skipped because every cell was empty or blank (NDJSON: blank lines).</summary>
    public int BlankRows => _blank + (_table?.BlankRows ?? 0);

    /// <summary>For event data: rows read, skipped, mapped, merged; unmapped and ignored codes.</summary>
    public EventDataTally? EventData { get; }

    /// <summary>Bytes of the file read so far, and its size.</summary>
    public long Position => _file.Position;
    public long Length => _file.Length;

    ImportSource(InputFile file, TabularReader? table, Func<ImportSource, IEnumerable<NdjsonHistory.Line>> lines, EventDataTally? tally)
    {
        _file = file;
        _table = table;
        EventData = tally;
        Lines = lines(this);
    }

    /// <summary>Opens <paramref name="path"/> in <paramref name="format"/>.</summary>
    /// <param name="parties">Event data only: which actors are which party.</param>
    /// <param name="negotiationId">Event data only: the negotiation the merged events' ids are derived for.</param>
    public static ImportSource Open(string path, HistoryFormat format, string? encoding, PartyMatcher? parties = null, string? negotiationId = null, long? maxDecompressed = null)
    {
        var file = InputFile.Open(path, encoding, maxDecompressed);
        try
        {
            switch (format)
            {
                case HistoryFormat.Ndjson:
                    return new ImportSource(file, null, s => HistoryFile.ReadNdjson(file, () => InputFile.Open(path, encoding, maxDecompressed), () => s._blank++), null);
                case HistoryFormat.Csv:
                {
                    var csv = TabularReader.Open(file, separator: null, header: true, quoted: true);
                    return new ImportSource(file, csv, _ => HistoryFile.ReadCsv(csv), null);
                }
                default:
                {
                    var data = format switch { HistoryFormat.Gdelt => EventDataFormat.Gdelt, HistoryFormat.Icews => EventDataFormat.Icews, _ => EventDataFormat.Polecat };
                    // GDELT as published has no header; a BigQuery export has the codebook's, comma-separated with quoted fields.
                    var gdelt = data == EventDataFormat.Gdelt ? GdeltLayout.Sniff(path, encoding, maxDecompressed) : null;
                    var table = TabularReader.Open(file, separator: gdelt?.Separator ?? '\t', header: gdelt?.Header ?? true, quoted: gdelt?.Separator == ',');
                    var tally = new EventDataTally();
                    return new ImportSource(file, table, _ => Merged(data, table, parties!, tally, negotiationId!, gdelt?.Header ?? false), tally);
                }
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads every row (the merge needs them all), then yields the bad rows and the events merged from the rows that were read:
    /// with bad rows those are still judged by the rules (a date in the future, …), so one answer lists every error, as for
    /// our own formats — nothing is stored while there is any (the importer keeps no event after the first error).
    /// </summary>
    static IEnumerable<NdjsonHistory.Line> Merged(EventDataFormat format, TabularReader table, PartyMatcher parties, EventDataTally tally, string negotiationId, bool gdeltHeader)
    {
        var merger = new EventDataMerger(parties, format, tally);
        foreach (var row in EventDataReaders.Read(format, table, parties, tally, gdeltHeader)) merger.Add(row);
        foreach (var e in tally.Errors) yield return new NdjsonHistory.Line(e.Line, null, null, [e]);
        foreach (var line in merger.Events(negotiationId)) yield return line;
    }

    public void Dispose()
    {
        _table?.Dispose();
        _file.Dispose();
    }
}
