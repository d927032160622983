using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>
/// An analyst's own history built in code (Israel–Jordan 1991–1995, not shipped), checked as a user of the package writes
/// it, against what the API answers for the same what-if. What a trial saw: <c>.Today(new(1994, 9, 1))</c>,
/// <c>.Remove(new("…"))</c> and <c>Scenarios.Compare(branch, new(…), …)</c> did not compile (ambiguous overloads); a
/// <c>Remove</c> filter matching nothing, an event removed twice, or removed and replaced, were accepted in silence where the
/// API refuses the same change; and two different recorded events given one eventId were folded as one.
/// </summary>
public class IsraelJordanAnalystTests
{
    static readonly NegotiationOpened Opening = new()
    {
        Id = "israel-jordan-analyst", Title = "Israel – Jordan",
        Parties = [new Party { Code = "IL", Name = "Israel" }, new Party { Code = "JO", Name = "Jordan" }],
    };
    static readonly Guid Madrid = Guid.Parse("1a10c000-0000-0000-0000-000000000001");
    static readonly Guid WashingtonDeclaration = Guid.Parse("1a10c000-0000-0000-0000-000000000002");
    static readonly Guid Relations = Guid.Parse("1a10c000-0000-0000-0000-000000000003");
    static readonly DateOnly Today = new(2026, 12, 3);

    static NegotiationEvent[] Record() =>
    [
        new TalksHeld { EventId = Madrid, OccurredOn = DomainDate.Parse("1991-10-30"), Actor = "IL", Target = "JO", Participants = ["IL", "JO"], Location = "Madrid" },
        new AgreementSigned { EventId = WashingtonDeclaration, OccurredOn = DomainDate.Parse("1994-07-25"), Actor = "IL", Target = "JO", Name = "Washington Declaration", Signatories = ["IL", "JO"] },
        new RelationsEstablished { EventId = Relations, OccurredOn = DomainDate.Parse("1994-11-27"), Actor = "IL", Target = "JO" },
    ];

    static Branch History() => WhatIf.From(Opening, Record());

    [Fact]
    public void Given_the_documented_calls_When_written_with_target_typed_new_Then_they_compile_and_mean_the_date_and_the_id()
    {
        // Given a branch (each call below was ambiguous to the compiler: DateOnly or TimeProvider, Guid or a filter, a date or a scenario)
        // When today, a removal and a side-by-side projection date are written with new(…)
        var result = History().AsOf(new(1994, 8, 31)).Today(new(1994, 9, 1)).Remove(new("1a10c000-0000-0000-0000-000000000002")).Project();
        var table = Scenarios.Compare(History().AsOf(new(1994, 8, 31)).Today(new(1994, 9, 1)), new(1995, 6, 30), ("no declaration", b => b.Remove(WashingtonDeclaration)));

        // Then they mean the date and the id
        result.Today.ShouldBe(new DateOnly(1994, 9, 1));
        result.Removed.ShouldBe([WashingtonDeclaration]);
        table["no declaration"].ProjectedAt.ShouldBe(new DateOnly(1995, 6, 30));
    }

    [Fact]
    public async Task Given_a_server_address_written_with_target_typed_new_When_loaded_Then_it_is_the_address_overload()
    {
        // Given nothing listening on port 1 of the loopback; When the history is loaded from there with new("http://…")
        var error = await Should.ThrowAsync<HttpRequestException>(() => WhatIf.FromServerAsync(new("http://127.0.0.1:1/"), "israel-jordan"));

        // Then the address was used (the connection is refused), not ambiguous
        error.HttpRequestError.ShouldBe(HttpRequestError.ConnectionError);
    }

    [Fact]
    public void Given_a_filter_that_matches_no_recorded_event_When_projected_Then_unknown_reference_at_its_remove_index()
    {
        // When an id and then a filter matching nothing are removed (no military strike is recorded)
        var result = History().AsOf(new DateOnly(1995, 4, 30)).Remove(Madrid).Remove<MilitaryStrike>().Project();

        // Then the filter is refused by its place among the removals, as an unknown id is
        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Path.ShouldBe("remove[1]"), e => e.Code.ShouldBe("unknown_reference"),
            e => e.Message.ShouldBe("The filter matches no event recorded in this negotiation: it removes nothing."));
    }

    [Fact]
    public void Given_a_filter_that_matches_When_projected_Then_it_removes_what_it_matches()
    {
        var result = History().AsOf(new DateOnly(1995, 4, 30)).Remove<AgreementSigned>(a => a.Name == "Washington Declaration").Project();

        result.Errors.ShouldBeEmpty();
        result.Removed.ShouldBe([WashingtonDeclaration]);
    }

    [Fact]
    public void Given_one_event_changed_twice_When_projected_Then_duplicate_item_as_over_HTTP()
    {
        var talks = new TalksHeld { OccurredOn = DomainDate.Parse("1991-11-03"), Actor = "IL", Target = "JO", Participants = ["IL", "JO"] };

        // When an event is removed twice, removed and replaced, or replaced twice
        var twice = History().AsOf(new DateOnly(1995, 4, 30)).Today(Today).Remove(Madrid).Remove(Madrid).Project();
        var both = History().AsOf(new DateOnly(1995, 4, 30)).Today(Today).Replace(Madrid, talks).Remove(Madrid).Project();
        var replacedTwice = History().AsOf(new DateOnly(1995, 4, 30)).Today(Today).Replace(Madrid, talks).Replace(Madrid, talks).Project();

        // Then each is refused at the second change, with the API's code and message (ChangeRules)
        twice.Errors.Select(e => (e.Path, e.Code, e.Message)).ShouldBe([("remove[1]", "duplicate_item", $"remove lists {Madrid} more than once.")]);
        both.Errors.Select(e => (e.Path, e.Code, e.Message)).ShouldBe([("replace[0].eventId", "duplicate_item", $"{Madrid} is already removed or replaced in this what-if.")]);
        replacedTwice.Errors.Select(e => (e.Path, e.Code)).ShouldBe([("replace[1].eventId", "duplicate_item")]);
    }

    [Fact]
    public void Given_two_different_recorded_events_with_one_id_When_branched_or_folded_Then_the_id_is_named()
    {
        // Given the relations written with the id of the Madrid talks (a copy-paste slip)
        NegotiationEvent[] record = [.. Record()[..2], Record()[2] with { EventId = Madrid }];

        // Then the library refuses it, naming the id and both events, instead of folding them as one
        var branch = Should.Throw<ArgumentException>(() => WhatIf.From(Opening, record));
        branch.Message.ShouldContain($"eventId {Madrid} is used by two different recorded events (TalksHeld 1991-10-30 and RelationsEstablished 1994-11-27)");
        Should.Throw<ArgumentException>(() => NegotiationFold.StateAsOf(Opening, record, new DateOnly(1995, 1, 1))).Message.ShouldBe(branch.Message);
    }

    [Fact]
    public void Given_the_same_recorded_event_listed_twice_When_branched_Then_it_is_one_event_as_a_retried_post_is()
    {
        var record = Record();

        var result = WhatIf.From(Opening, [.. record, record[2] with { }]).AsOf(new DateOnly(1995, 4, 30)).Project();

        result.State.EventCount.ShouldBe(3);
        result.State.Stage.ShouldBe(Stage.FullRelations);
    }

    static string File(params string[] extra) => string.Join("\n", [
        """{"type":"NegotiationOpened","id":"israel-jordan-file","title":"Israel – Jordan","parties":[{"code":"IL","name":"Israel"},{"code":"JO","name":"Jordan"}]}""",
        $$"""{"eventId":"{{Madrid}}","type":"TalksHeld","occurredOn":"1991-10-30","actor":"IL","target":"JO","participants":["IL","JO"]}""",
        $$"""{"eventId":"{{WashingtonDeclaration}}","type":"AgreementSigned","occurredOn":"1994-07-25","actor":"IL","target":"JO","name":"Washington Declaration","signatories":["IL","JO"],"commitments":[{"commitmentId":"end-state-of-war","party":"JO","text":"End the state of belligerency"}]}""",
        .. extra]);

    [Fact]
    public void Given_a_history_file_reusing_an_eventId_for_another_event_When_read_Then_eventid_reused_at_its_line_as_an_import_says()
    {
        // Given a file whose fourth line gives the relations the id of the Madrid talks
        var file = File($$"""{"eventId":"{{Madrid}}","type":"RelationsEstablished","occurredOn":"1994-11-27","actor":"IL","target":"JO"}""");

        // When the package reads it; Then it is refused as the file's fault, at the line, with the import's code and message
        Should.Throw<InvalidDataException>(() => WhatIf.FromNdjson(new StringReader(file), Today)).Message.ShouldBe(
            $"The history is not valid: line 4 eventId: eventId {Madrid} is already used on an earlier line for a different event: a new event needs a new eventId (or none).");
    }

    [Fact]
    public void Given_a_history_file_repeating_a_line_When_read_Then_it_is_one_event_as_an_import_counts_it()
    {
        // Given a file listing the Washington Declaration twice (an agreement: its commitment ids are not reused by a repeat)
        var file = File($$"""{"eventId":"{{WashingtonDeclaration}}","type":"AgreementSigned","occurredOn":"1994-07-25","actor":"IL","target":"JO","name":"Washington Declaration","signatories":["IL","JO"],"commitments":[{"commitmentId":"end-state-of-war","party":"JO","text":"End the state of belligerency"}]}""");

        // When read; Then the repeat is read once
        var history = WhatIf.FromNdjson(new StringReader(file), Today);
        history.Recorded.Select(e => e.EventId).ShouldBe([Madrid, WashingtonDeclaration]);
    }

    [Fact]
    public void Given_a_chained_scenario_When_an_earlier_results_hypothetical_events_are_taken_as_the_record_Then_they_stop_at_the_branch_point()
    {
        // Given a what-if that adds the relations of November 1994 to the Madrid talks alone
        var talksOnly = WhatIf.From(Opening, Record()[..1]).Today(Today).AsOf(new DateOnly(1992, 1, 1));
        var first = talksOnly.Add(Record()[2] with { EventId = Guid.Empty }).Project();

        // When its events become the record of the next what-if, branched before the relations
        var chained = WhatIf.From(Opening, [.. talksOnly.Recorded, .. first.Hypothetical.Select(h => h.Event)])
            .Today(Today).AsOf(new DateOnly(1993, 1, 1)).Project(new DateOnly(1995, 6, 30));

        // Then the relations are recorded events dated after the branch point: left out, as any recorded event (they were
        // folded in, marked hypothetical, past the branch point)
        var plain = WhatIf.From(Opening, [Record()[0], Record()[2]]).Today(Today).AsOf(new DateOnly(1993, 1, 1)).Project(new DateOnly(1995, 6, 30));
        chained.State.Stage.ShouldBe(plain.State.Stage);
        chained.State.Stage.ShouldBe(Stage.Estrangement);
        chained.Baseline!.Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void Given_side_by_side_scenarios_When_two_share_a_name_or_a_row_is_asked_by_another_Then_the_error_names_them()
    {
        var history = History().Today(Today).AsOf(new DateOnly(1995, 4, 30));

        // When two scenarios share a name, or one is named as the baseline row; Then refused, naming it (was: a table whose row could not be read)
        Should.Throw<ArgumentException>(() => Scenarios.Compare(history, ("no declaration", b => b.Remove(WashingtonDeclaration)), ("no declaration", b => b)))
            .Message.ShouldStartWith("Two scenarios are named 'no declaration'");
        Should.Throw<ArgumentException>(() => Scenarios.Compare(history, ("baseline", b => b)))
            .Message.ShouldStartWith("A scenario is named 'baseline'");

        // When a row is asked by a name the table does not hold; Then the error lists the rows (was: "Sequence contains no matching element")
        var table = Scenarios.Compare(history, ("no declaration", b => b.Remove(WashingtonDeclaration)));
        Should.Throw<KeyNotFoundException>(() => table["no-declaration"])
            .Message.ShouldBe("No scenario 'no-declaration' in this table: its rows are 'baseline', 'no declaration'.");
        table["no declaration"].Stage.ShouldBe(Stage.FullRelations);
    }

    [Fact]
    public void Given_hypothetical_events_built_in_code_that_no_body_could_send_When_projected_Then_refused_at_their_fields_as_over_HTTP()
    {
        // Given events a JSON body could not carry: an empty required field, a lower-case party code, an enum value without a name
        var result = History().Today(Today).AsOf(new DateOnly(1995, 4, 30))
            .Add(new SanctionsEased { OccurredOn = DomainDate.Parse("1995-01-10"), Actor = "IL", Target = "JO" })
            .Add(new TalksHeld { OccurredOn = DomainDate.Parse("1995-01-10"), Actor = "il", Target = "JO", Participants = ["IL", "JO"] })
            .Replace(Madrid, new OfficeOpened { OccurredOn = DomainDate.Parse("1991-10-30"), Actor = "IL", Target = "JO", OfficeKind = (OfficeKind)99 })
            .Project();

        // Then each is refused at its field, with the reader's code (was: folded as given)
        result.Errors.Select(e => (e.Path, e.Code)).ShouldBe([
            ("replace[0].event.officeKind", "unknown_value"), ("add[0].scope", "required"), ("add[1].actor", "invalid_party_code")]);
        result.Errors[0].Message.ShouldBe("officeKind must be one of: Embassy, Consulate, LiaisonOffice, InterestsSection, RepresentativeOffice.");
    }
}
