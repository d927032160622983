using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.WhatIf;
using static Normalization.Api.Tests.Storage.StoreSupport;
using DomainWhatIf = Normalization.Domain.WhatIf.WhatIf;

namespace Normalization.Api.Tests.WhatIf;

/// <summary>
/// One what-if, two ways: through <c>POST …/what-if</c> and through the package on the same record
/// (<c>WhatIf.From(history)</c>) — the same refusals (path, code, message) and the same events listed as removed. A trial
/// (Israel–Jordan 1991–1995) saw the library accept in silence what the API refuses — an event removed twice, removed and
/// replaced — and hypothetical events built in code that no body could send (a lower-case party code, untrimmed text, an
/// enum value without a name, a number out of range); and the API leave out of <c>removed</c> an event dated after the
/// branch point that the library lists.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WhatIfLibraryAgreementTests(AppFixture app)
{
    static readonly Guid Madrid = Guid.NewGuid(), Declaration = Guid.NewGuid(), Relations = Guid.NewGuid(), Unknown = Guid.NewGuid();

    static NegotiationOpened Opening(string id) => new()
    {
        Id = id, Title = "Israel – Jordan",
        Parties = [new Party { Code = "IL", Name = "Israel" }, new Party { Code = "JO", Name = "Jordan" }],
    };

    static List<NegotiationEvent> Record() =>
    [
        new TalksHeld { EventId = Madrid, OccurredOn = DomainDate.Parse("1991-10-30"), Actor = "IL", Target = "JO", Participants = ["IL", "JO"], Confidence = Confidence.Confirmed },
        new AgreementSigned { EventId = Declaration, OccurredOn = DomainDate.Parse("1994-07-25"), Actor = "IL", Target = "JO", Name = "Washington Declaration", Signatories = ["IL", "JO"], Confidence = Confidence.Confirmed },
        new RelationsEstablished { EventId = Relations, OccurredOn = DomainDate.Parse("1994-11-27"), Actor = "IL", Target = "JO", Confidence = Confidence.Confirmed },
    ];

    async Task<string> Recorded()
    {
        var id = NewId("iljo");
        (await app.Store().CreateAsync(Opening(id), Poster)).ShouldBeTrue();
        await app.Store().AppendOk(id, Record());
        return id;
    }

    static readonly TalksHeld Talks = new() { OccurredOn = DomainDate.Parse("1995-01-10"), Actor = "IL", Target = "JO", Participants = ["IL", "JO"] };
    static readonly TalksHeld LaterTalks = new() { OccurredOn = DomainDate.Parse("1991-11-03"), Actor = "IL", Target = "JO", Participants = ["IL", "JO"] };
    const string LaterTalksJson = """{"type":"TalksHeld","occurredOn":"1991-11-03","actor":"IL","target":"JO","participants":["IL","JO"]}""";

    public static TheoryData<string, string> Changes() => new()
    {
        { "removed twice", $$"""{"asOf":"1995-04-30","remove":["{{Madrid}}","{{Madrid}}"]}""" },
        { "removed and replaced", $$"""{"asOf":"1995-04-30","remove":["{{Madrid}}"],"replace":[{"eventId":"{{Madrid}}","event":{{LaterTalksJson}}}]}""" },
        { "replaced twice", $$"""{"asOf":"1995-04-30","replace":[{"eventId":"{{Madrid}}","event":{{LaterTalksJson}}},{"eventId":"{{Madrid}}","event":{{LaterTalksJson}}}]}""" },
        { "unknown", $$"""{"asOf":"1995-04-30","remove":["{{Unknown}}"]}""" },
        { "empty guid removed", """{"asOf":"1995-04-30","remove":["00000000-0000-0000-0000-000000000000"]}""" },
        { "empty guid replaced", $$"""{"asOf":"1995-04-30","replace":[{"eventId":"00000000-0000-0000-0000-000000000000","event":{{LaterTalksJson}}}]}""" },
        { "removed after the branch point", $$"""{"asOf":"1994-08-31","remove":["{{Relations}}","{{Madrid}}"]}""" },
        { "lower-case actor", """{"asOf":"1995-04-30","add":[{"type":"TalksHeld","occurredOn":"1995-01-10","actor":"il","target":"JO","participants":["IL","JO"]}]}""" },
        { "untrimmed note", """{"asOf":"1995-04-30","add":[{"type":"TalksHeld","occurredOn":"1995-01-10","actor":"IL","target":"JO","participants":["IL","JO"],"note":" Aqaba "}]}""" },
        { "office of no kind", """{"asOf":"1995-04-30","add":[{"type":"OfficeOpened","occurredOn":"1995-01-10","actor":"IL","target":"JO","officeKind":"Mission"}]}""" },
        { "casualties below zero", """{"asOf":"1995-04-30","add":[{"type":"AttackOccurred","occurredOn":"1995-01-10","actor":"IL","target":"JO","casualties":-3}]}""" },
    };

    static Branch Apply(Branch b, string change) => change switch
    {
        "removed twice" => b.AsOf(new(1995, 4, 30)).Remove(Madrid).Remove(Madrid),
        "removed and replaced" => b.AsOf(new(1995, 4, 30)).Remove(Madrid).Replace(Madrid, LaterTalks),
        "replaced twice" => b.AsOf(new(1995, 4, 30)).Replace(Madrid, LaterTalks).Replace(Madrid, LaterTalks),
        "unknown" => b.AsOf(new(1995, 4, 30)).Remove(Unknown),
        "empty guid removed" => b.AsOf(new(1995, 4, 30)).Remove(Guid.Empty),
        "empty guid replaced" => b.AsOf(new(1995, 4, 30)).Replace(Guid.Empty, LaterTalks),
        "removed after the branch point" => b.AsOf(new(1994, 8, 31)).Remove(Relations).Remove(Madrid),
        "lower-case actor" => b.AsOf(new(1995, 4, 30)).Add(Talks with { Actor = "il" }),
        "untrimmed note" => b.AsOf(new(1995, 4, 30)).Add(Talks with { Note = " Aqaba " }),
        "office of no kind" => b.AsOf(new(1995, 4, 30)).Add(new OfficeOpened { OccurredOn = DomainDate.Parse("1995-01-10"), Actor = "IL", Target = "JO", OfficeKind = (OfficeKind)99 }),
        "casualties below zero" => b.AsOf(new(1995, 4, 30)).Add(new AttackOccurred { OccurredOn = DomainDate.Parse("1995-01-10"), Actor = "IL", Target = "JO", Casualties = -3 }),
        _ => throw new ArgumentOutOfRangeException(nameof(change)),
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Given_a_record_When_the_same_changes_go_through_HTTP_and_the_library_Then_both_refuse_or_remove_alike(string change, string body)
    {
        // Given a recorded negotiation
        var id = await Recorded();

        // When the same what-if is posted and run by the package on the same record
        var (status, answer) = await app.PostJson($"/api/negotiations/{id}/what-if", new object(), rawBody: body);
        var library = Apply(DomainWhatIf.From(Opening(id), Record()).Today(DateOnly.FromDateTime(DateTime.UtcNow)), change).Project();

        // Then they refuse with the same errors, or list the same events as removed
        if (library.IsValid)
        {
            status.ShouldBe(200, answer?.ToJsonString());
            answer!["removed"]!.AsArray().Select(n => n!.GetValue<Guid>()).ShouldBe(library.Removed, change);
            answer["stage"]!.GetValue<string>().ShouldBe(library.State.Stage.ToString(), change);
            return;
        }
        status.ShouldBeOneOf([400, 422], answer?.ToJsonString());
        answer!["errors"]!.AsArray().Select(e => $"{e!["path"]} {e["code"]} {e["message"]}")
            .ShouldBe(library.Errors.Select(e => $"{e.Path} {e.Code} {e.Message}"), change);
    }

    [Fact]
    public async Task Given_a_history_file_without_eventIds_When_imported_and_read_by_the_package_Then_its_events_have_the_same_ids_and_a_repeat_is_one_event()
    {
        // Given a researcher's file without eventIds, the relations line given twice
        string[] lines =
        [
            """{"type":"TalksHeld","occurredOn":"1991-10-30","actor":"IL","target":"JO","participants":["IL","JO"]}""",
            """{"type":"AgreementSigned","occurredOn":"1994-07-25","actor":"IL","target":"JO","name":"Washington Declaration","signatories":["IL","JO"]}""",
            """{"type":"RelationsEstablished","occurredOn":"1994-11-27","actor":"IL","target":"JO"}""",
            """{"type":"RelationsEstablished","occurredOn":"1994-11-27","actor":"IL","target":"JO"}""",
        ];
        var id = await app.GivenNegotiation("iljofile", "IL", "JO");

        // When it is imported into the server, and read by the package
        var (imported, report) = await app.PostImportFile(id, "", System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines)));
        imported.ShouldBe(200, report?.ToJsonString());
        var (_, timeline) = await app.GetJson($"/api/negotiations/{id}/timeline");
        var stored = timeline!["items"]!.AsArray().Select(i => i!["eventId"]!.GetValue<Guid>()).ToList();
        var library = DomainWhatIf.FromNdjson(new StringReader(string.Join("\n", [NdjsonHistoryLine(id), .. lines])));

        // Then both hold three events under the same ids, so a what-if removing one by the server's id runs in both
        stored.Count.ShouldBe(3);
        library.Recorded.Select(e => e.EventId).Order().ShouldBe(stored.Order());
        var relations = library.Recorded.OfType<RelationsEstablished>().Single().EventId;
        var (status, answer) = await app.PostJson($"/api/negotiations/{id}/what-if", new { asOf = "1995-04-30", remove = new[] { relations } });
        status.ShouldBe(200, answer?.ToJsonString());
        answer!["stage"]!.GetValue<string>().ShouldBe(library.AsOf(new(1995, 4, 30)).Remove(relations).Project().State.Stage.ToString());
    }

    static string NdjsonHistoryLine(string id) => Normalization.Domain.Histories.NdjsonHistory.OpeningLine(Opening(id));
}
