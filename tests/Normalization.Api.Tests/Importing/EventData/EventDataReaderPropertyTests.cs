using System.Text;
using CsCheck;
using Normalization.Api.Importing;
using Normalization.Api.Importing.EventData;
using Normalization.Api.Importing.Files;
using Normalization.Domain.Histories;

namespace Normalization.Api.Tests.Importing.EventData;

/// <summary>
/// Properties of the event-data readers over generated GDELT files (no database): every row is counted exactly once, the
/// merge does not depend on the order of the rows, and no input — however broken — escapes as anything but an error.
/// </summary>
public class EventDataReaderPropertyTests
{
    static readonly string[] Actors = ["USA", "USAGOV", "AFGTAL", "AFGTALMIL", "AFGGOV", "RUS", "QAT", ""];
    static readonly string[] Codes = ["046", "043", "042", "0841", "081", "1056", "163", "010", "1384", "45", "---"];
    static readonly PartyMatcher Parties = new([("US", "USA"), ("TB", "AFGTAL")]);

    static Gen<string> Pick(string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    record Row(long Id, int Day, string A1, string A2, string Code, int Sources, int Host);

    static readonly Gen<Row> GenRow = Gen.Select(Gen.Long[1, 60], Gen.Int[1, 5], Pick(Actors), Pick(Actors), Pick(Codes), Gen.Int[0, 7], Gen.Int[0, 4])
        .Select((id, day, a1, a2, code, sources, host) => new Row(id, day, a1, a2, code, sources, host));

    static string Gdelt(Row r)
    {
        var c = new string[61];
        Array.Fill(c, "");
        c[0] = r.Id.ToString();
        c[1] = $"202503{r.Day:00}";
        (c[5], c[7]) = (r.A1, r.A1.Length >= 3 ? r.A1[..3] : r.A1);
        (c[15], c[17]) = (r.A2, r.A2.Length >= 3 ? r.A2[..3] : r.A2);
        c[26] = r.Code;
        c[32] = r.Sources.ToString();
        c[60] = $"https://news{r.Host}.example.com/{r.Id}";
        return string.Join('\t', c);
    }

    static (EventDataTally Tally, List<NdjsonHistory.Line> Events) Read(IEnumerable<string> lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"prop-{Guid.NewGuid():N}.tsv");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        try
        {
            using var file = InputFile.Open(path, null);
            using var table = TabularReader.Open(file, '\t', header: false, quoted: false);
            var tally = new EventDataTally();
            var merger = new EventDataMerger(Parties, EventDataFormat.Gdelt, tally);
            foreach (var row in EventDataReaders.Read(EventDataFormat.Gdelt, table, Parties, tally)) merger.Add(row);
            return (tally, merger.Events("prop").ToList());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Given_any_GDELT_rows_When_read_Then_every_row_is_counted_once_and_every_merged_event_is_valid()
    {
        GenRow.List[0, 60].Sample(rows =>
        {
            var (tally, events) = Read(rows.Select(Gdelt));

            tally.Rows.ShouldBe(rows.Count);
            // A row between the parties whose code cannot be a CAMEO code ("---") is an error of its row, named by column.
            (tally.OtherActors + tally.SameParty + tally.Ambiguous + tally.RepeatedIds + tally.MappedRows + tally.Unmapped.Values.Sum() + tally.Ignored.Values.Sum()
                + tally.Errors.Count).ShouldBe(tally.Rows);
            tally.Errors.ShouldAllBe(e => e.Code == "invalid_code" && e.Path == "EventCode");
            tally.Unmapped.Keys.ShouldAllBe(k => k != "CAMEO ---");
            tally.Events.ShouldBe(events.Count);
            events.Count.ShouldBeLessThanOrEqualTo(tally.MappedRows);
            events.ShouldAllBe(e => e.Errors.Count == 0 && e.Event != null);
            events.Select(e => e.Event!.EventId).Distinct().Count().ShouldBe(events.Count);
            events.ShouldAllBe(e => e.Event!.Sources.Count <= EventDataMerger.MaxSources);
        }, iter: 200);
    }

    [Fact]
    public void Given_GDELT_rows_with_distinct_ids_When_read_in_any_order_Then_the_same_events_with_the_same_ids_and_confidence_come_out()
    {
        Gen.Select(GenRow.List[0, 40], Gen.Int).Sample((rows, seed) =>
        {
            var distinct = rows.DistinctBy(r => r.Id).ToList();
            var shuffled = distinct.OrderBy(_ => new Random(seed).Next()).ToList();

            var (_, a) = Read(distinct.Select(Gdelt));
            var (_, b) = Read(shuffled.Select(Gdelt));

            Key(a).ShouldBe(Key(b));
        }, iter: 100);

        static List<string> Key(List<NdjsonHistory.Line> events) =>
            events.Select(e => $"{e.Event!.EventId}|{e.Event.Type}|{e.Event.Confidence}|{e.Event.Sources.Count}").Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Given_arbitrary_bytes_When_read_as_any_import_format_Then_the_outcome_is_lines_or_one_text_fault_never_another_exception()
    {
        var bytes = Gen.OneOf(
            Gen.Byte.Array[0, 400],
            Gen.Char['\0', '\u00ff'].Array[0, 200].Select(c => Encoding.Latin1.GetBytes(c)),
            GenRow.List[1, 5].Select(rows => Encoding.UTF8.GetBytes(string.Join("\n", rows.Select(Gdelt)).Replace('4', '\t'))));
        Gen.Select(bytes, Pick(["ndjson", "csv", "gdelt", "icews", "polecat"])).Sample((data, format) =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}");
            File.WriteAllBytes(path, data);
            try
            {
                var fmt = HistoryFile.FormatOf(path, format);
                using var source = ImportSource.Open(path, fmt, null, Parties, "fuzz");
                _ = source.Lines.ToList();
            }
            catch (TextFault) { }
            catch (ImportException) { }
            finally { File.Delete(path); }
        }, iter: 300);
    }
}
