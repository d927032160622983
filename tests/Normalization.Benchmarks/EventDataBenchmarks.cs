using System.Diagnostics;
using System.Text;
using Normalization.Api.Importing;
using Normalization.Api.Importing.EventData;
using Normalization.Domain.Catalog;

namespace Normalization.Benchmarks;

/// <summary>
/// Section 10 (issue 19): reading and filtering a 1,000,000-row GDELT-format file with a realistic share of rows for the dyad
/// (1 %: a busy dyad in a day's global export), against a naive read of the same file (ReadLine + Split), beside our own
/// NDJSON import's read and parse in the same run.
/// </summary>
public sealed partial class Measurements
{
    /// <summary>The share of generated GDELT rows between the two parties.</summary>
    const double DyadShare = 0.01;

    Task<Section> EventDataAsync()
    {
        var rows = o.Quick ? 5_000 : 1_000_000;
        var ndjsonEvents = o.Quick ? 500 : 100_000;
        log.WriteLine($"10. event data: {rows:N0} GDELT rows, {ndjsonEvents:N0} NDJSON events");
        var gdelt = Path.Combine(_work, "gdelt.export.tsv");
        GdeltFile.Write(gdelt, rows, DyadShare, seed: 19);
        var ndjson = Path.Combine(_work, "events.ndjson");
        var h = SyntheticHistory.Generate("nd", ndjsonEvents);
        File.WriteAllLines(ndjson, h.Events.Select(EventJson.Serialize));
        var parties = new PartyMatcher([("US", "USA"), ("TB", "AFGTAL")]);

        var product = new List<double>();
        var naive = new List<double>();
        var ours = new List<double>();
        EventDataTally? tally = null;
        for (var r = -1; r < o.Runs; r++) // run -1 warms up
        {
            var sw = Stopwatch.StartNew();
            using (var source = ImportSource.Open(gdelt, HistoryFormat.Gdelt, null, parties, "bench"))
            {
                var events = source.Lines.Count();
                tally = source.EventData;
                if (events != tally!.Events) throw new InvalidOperationException("merged events miscounted");
            }
            var seconds = sw.Elapsed.TotalSeconds;

            sw.Restart();
            long fields = 0;
            foreach (var line in File.ReadLines(gdelt)) fields += line.Split('\t').Length;
            var naiveSeconds = sw.Elapsed.TotalSeconds;
            if (fields == 0) throw new InvalidOperationException("empty file");

            sw.Restart();
            using (var source = ImportSource.Open(ndjson, HistoryFormat.Ndjson, null))
                if (source.Lines.Count(l => l.Event is not null) != ndjsonEvents) throw new InvalidOperationException("NDJSON events miscounted");
            var ndjsonSeconds = sw.Elapsed.TotalSeconds;
            if (r < 0) continue;
            product.Add(rows / seconds);
            naive.Add(rows / naiveSeconds);
            ours.Add(ndjsonEvents / ndjsonSeconds);
        }

        var bytes = new FileInfo(gdelt).Length;
        var s = new Section("10", "Event-data import (read and filter)",
            $"A {rows:N0}-row GDELT 2.0 event export ({bytes / 1024.0 / 1024:F0} MiB, 61 tab-separated columns, {DyadShare:P0} of the rows between the US and the Taliban in either direction, " +
            "generated with realistic actors, codes, dates and URLs) read through `ImportSource` as `import --format gdelt --party US=USA --party TB=AFGTAL` reads it: " +
            "decompression check, CsvHelper's tab-separated records, strict UTF-8, blank-row check, actor matching on every row, the mapping and the merge for the dyad's rows " +
            "(nothing stored: storing the few merged events is section 3's cost). Baseline: `File.ReadLines` + `string.Split('\\t')` of the same file, which checks nothing. " +
            $"Beside it, our own NDJSON import's read and parse (pass 1 without the domain validation) of a {ndjsonEvents:N0}-event file.");
        var p = Summary.Of(product);
        var b = Summary.Of(naive);
        s.Rows.Add(new Row($"{rows:N0} GDELT rows, {DyadShare:P0} for the dyad", "rows/s", p, b, "ReadLines + Split", p.Median / b.Median, "× the naive split",
            "≥ 100,000 rows/s", p.Median >= 100_000));
        s.Rows.Add(new Row($"{ndjsonEvents:N0}-event NDJSON file: read + parse", "events/s", Summary.Of(ours), null, null, null, "—"));
        s.Notes.Add($"The GDELT file's {tally!.Rows:N0} rows: {tally.OtherActors:N0} between other actors, {tally.SameParty:N0} within one party, " +
                    $"{tally.MappedRows:N0} mapped, merged into {tally.Events:N0} events; {tally.Unmapped.Values.Sum() + tally.Ignored.Values.Sum():N0} unmapped or ignored by code.");
        s.Notes.Add("Rows between other actors cost a record scan and at most two actor matches on spans of the record's UTF-8 bytes (no strings); only the dyad's rows are parsed further.");
        return Task.FromResult(s);
    }
}

/// <summary>Writes a synthetic GDELT 2.0 event export: realistic column contents, a share of rows for the US–Taliban dyad.</summary>
public static class GdeltFile
{
    static readonly string[] Countries = ["USA", "GBR", "FRA", "DEU", "RUS", "CHN", "IND", "PAK", "IRN", "ISR", "TUR", "UKR", "NGA", "BRA", "MEX", "JPN", "AFG", "QAT"];
    static readonly string[] Roles = ["", "GOV", "MIL", "BUS", "MED", "OPP", "CVL", "JUD", "LEG", "COP"];
    static readonly string[] Codes = ["010", "012", "013", "020", "036", "040", "042", "043", "046", "051", "057", "071", "0841", "090", "111", "112", "120", "130", "138", "163", "173", "190", "193", "1056", "081"];
    static readonly string[] Hosts = ["cnn.com", "reuters.com", "aljazeera.com", "bbc.co.uk", "nytimes.com", "apnews.com", "tolonews.com", "dawn.com", "theguardian.com", "washingtonpost.com"];

    public static void Write(string path, int rows, double dyadShare, int seed)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var c = new string[61];
        for (var i = 0; i < rows; i++)
        {
            Array.Fill(c, "");
            var day = new DateOnly(2025, 1, 1).AddDays(random.Next(365));
            var dyad = random.NextDouble() < dyadShare;
            string a1, a2;
            if (dyad)
            {
                var us = "USA" + Roles[random.Next(3)];
                var tb = random.Next(4) == 0 ? "AFGTALMIL" : "AFGTAL";
                (a1, a2) = random.Next(2) == 0 ? (us, tb) : (tb, us);
            }
            else
            {
                a1 = Countries[random.Next(Countries.Length)] + Roles[random.Next(Roles.Length)];
                a2 = Countries[random.Next(Countries.Length)] + Roles[random.Next(Roles.Length)];
            }
            var code = Codes[random.Next(Codes.Length)];
            var host = Hosts[random.Next(Hosts.Length)];
            c[0] = (1_200_000_000L + i).ToString();
            c[1] = day.ToString("yyyyMMdd");
            c[2] = day.ToString("yyyyMM");
            c[3] = day.Year.ToString();
            c[4] = (day.Year + day.DayOfYear / 365.0).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
            Actor(c, 5, a1);
            Actor(c, 15, a2);
            c[25] = "1";
            c[26] = code;
            c[27] = code[..3];
            c[28] = code[..2];
            c[29] = "1";
            c[30] = "3.4";
            c[31] = random.Next(1, 20).ToString();
            c[32] = random.Next(1, 6).ToString();
            c[33] = random.Next(1, 20).ToString();
            c[34] = "-1.91082802547771";
            for (var g = 35; g <= 51; g += 8)
            {
                c[g] = "4"; c[g + 1] = "Kabul, Kabol, Afghanistan"; c[g + 2] = "AF"; c[g + 3] = "AF13"; c[g + 4] = "8145";
                c[g + 5] = "34.5167"; c[g + 6] = "69.1833"; c[g + 7] = "-3378435";
            }
            c[59] = day.ToString("yyyyMMdd") + "151500";
            c[60] = $"https://www.{host}/{day:yyyy/MM/dd}/world/asia/story-{i}.html";
            writer.Write(string.Join('\t', c));
            writer.Write('\n');
        }
    }

    static void Actor(string[] c, int at, string code)
    {
        c[at] = code;
        c[at + 1] = code[..3] switch { "USA" => "UNITED STATES", "AFG" => code.StartsWith("AFGTAL", StringComparison.Ordinal) ? "TALIBAN" : "AFGHANISTAN", _ => "GOVERNMENT" };
        c[at + 2] = code[..3];
        c[at + 3] = code.StartsWith("AFGTAL", StringComparison.Ordinal) ? "TAL" : "";
        c[at + 7] = code.Length > 3 ? code[3..] : "";
    }
}
