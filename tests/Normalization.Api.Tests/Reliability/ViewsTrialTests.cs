using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Views trial: time travel through a closing dated inside its opening's coarser period shows no entry without its opening
/// (D7); a what-if cannot remove an opening from under its closings (D12); a what-if judges an added event exactly as a real
/// POST does (D13).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ViewsTrialTests(AppFixture app)
{
    static JsonObject Demand(string on, string demandId, Guid? eventId = null) => new()
    {
        ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = "DemandMade", ["occurredOn"] = on, ["actor"] = "US", ["target"] = "TB",
        ["demandId"] = demandId, ["subject"] = "release the engineer", ["category"] = "PrisonerRelease",
    };

    static JsonObject Closing(string type, string on, string demandId, string actor = "TB", string target = "US", Guid? eventId = null) => new()
    {
        ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = type, ["occurredOn"] = on, ["actor"] = actor, ["target"] = target,
        ["demandId"] = demandId,
    };

    static JsonObject Agreement(string on, string commitmentId) => new()
    {
        ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "AgreementSigned", ["occurredOn"] = on, ["actor"] = "US", ["target"] = "TB",
        ["name"] = "Doha agreement", ["signatories"] = new JsonArray("US", "TB"),
        ["commitments"] = new JsonArray(new JsonObject { ["commitmentId"] = commitmentId, ["party"] = "TB", ["text"] = "open an office" }),
    };

    static JsonObject Fulfilled(string on, string commitmentId) => new()
    {
        ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "CommitmentFulfilled", ["occurredOn"] = on, ["actor"] = "TB", ["target"] = "US",
        ["commitmentId"] = commitmentId,
    };

    async Task<JsonNode> Ledger(string id, string asOf)
    {
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?asOf={asOf}");
        status.ShouldBe(200, body?.ToJsonString());
        return body!["ledger"]!;
    }

    [Fact]
    public async Task Given_an_imported_month_dated_demand_met_inside_its_month_When_the_state_is_read_as_of_a_day_in_that_month_Then_no_ledger_entry_lacks_its_opening()
    {
        // Given a file: a demand made in March 2020, met on 10 March; an agreement of 2020, its commitment fulfilled in June
        var id = await app.GivenNegotiation("d7month");
        var file = string.Join('\n', Demand("2020-03", "engineer").ToJsonString(), Closing("DemandMet", "2020-03-10", "engineer").ToJsonString(),
            Agreement("2020", "office").ToJsonString(), Fulfilled("2020-06-01", "office").ToJsonString()) + "\n";
        var (status, body) = await app.PostImport(id, file);
        status.ShouldBe(200, body?.ToJsonString());
        body!["stored"]!.GetValue<int>().ShouldBe(4);

        // When the state is read as of 15 March, 1 July, 31 March and the year's end
        var march15 = await Ledger(id, "2020-03-15");
        var july = await Ledger(id, "2020-07-01");
        var march31 = await Ledger(id, "2020-03-31");
        var yearEnd = await Ledger(id, "2020-12-31");

        // Then inside a period nothing is listed without its opening; once the opening counts, the entry is listed closed
        march15["demands"]!.AsArray().ShouldBeEmpty(march15.ToJsonString());
        march15["totals"]!["demandsResolved"]!.GetValue<int>().ShouldBe(0);
        july["commitments"]!.AsArray().ShouldBeEmpty(july.ToJsonString());
        var demand = march31["demands"]!.AsArray().ShouldHaveSingleItem()!;
        demand["by"]!.GetValue<string>().ShouldBe("US");
        demand["madeOn"]!.GetValue<string>().ShouldBe("2020-03-31");
        demand["status"]!.GetValue<string>().ShouldBe("Met");
        yearEnd["commitments"]!.AsArray().ShouldHaveSingleItem()!["party"]!.GetValue<string>().ShouldBe("TB");
    }

    [Fact]
    public async Task Given_a_met_demand_When_a_what_if_removes_its_DemandMade_Then_422_still_referenced_at_remove_0()
    {
        // Given a demand made and met
        var id = await app.GivenNegotiation("d12remove");
        var made = Guid.NewGuid();
        var met = Guid.NewGuid();
        await app.GivenEvents(id, Demand(Day(20), "engineer", made), Closing("DemandMet", Day(10), "engineer", eventId: met));

        // When a what-if removes the DemandMade alone, then with its closing
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new { remove = new[] { made } });
        var (bothStatus, bothBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new { remove = new[] { made, met } });

        // Then alone it is 422 still_referenced at remove[0], naming the closing; with its closing it stands, without the demand
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("remove[0]", "still_referenced");
        body.Errors().ShouldContain(e => e.Message.Contains(met.ToString()));
        bothStatus.ShouldBe(200, bothBody?.ToJsonString());
        bothBody!["projected"]!["ledger"]!["demands"]!.AsArray().ShouldBeEmpty();
    }

    public static TheoryData<string, string, string, string?> Closings() => new()
    {
        // closing type, its date, its actor; the error path and code a real POST gives (null: accepted)
        { "DemandMet", "2020-02-20", "TB", "occurredOn:before_reference" },
        { "DemandRefused", "2020-03-10", "US", "actor:wrong_party" },
        { "DemandMet", "2020-03-10", "TB", null },
    };

    [Theory]
    [MemberData(nameof(Closings))]
    public async Task Given_a_month_dated_demand_When_the_same_closing_is_added_in_a_what_if_branched_before_the_month_ends_and_posted_Then_both_give_the_same_answer(
        string type, string on, string actor, string? expected)
    {
        // Given a demand made in March 2020, stored (the what-if branches before the month's end: the DemandMade is after its branch point)
        var id = await app.GivenNegotiation("d13same");
        await app.GivenEvents(id, Demand("2020-03", "engineer"));
        var closing = Closing(type, on, "engineer", actor, actor == "TB" ? "US" : "TB");

        // When the closing is added in a what-if branched on 2020-03-15, then posted for real
        var (whatIfStatus, whatIfBody) = await app.PostJson($"/api/negotiations/{id}/what-if",
            new { asOf = "2020-03-15", add = new[] { closing.DeepClone() } });
        var (postStatus, postBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { closing.DeepClone() } });

        // Then both refuse it at the same field with the same code, or both accept it
        if (expected is null)
        {
            postStatus.ShouldBe(201, postBody?.ToJsonString());
            whatIfStatus.ShouldBe(200, whatIfBody?.ToJsonString());
        }
        else
        {
            var (field, code) = (expected.Split(':')[0], expected.Split(':')[1]);
            postStatus.ShouldBe(422, postBody?.ToJsonString());
            postBody.ShouldHaveError($"events[0].{field}", code);
            whatIfStatus.ShouldBe(422, whatIfBody?.ToJsonString());
            whatIfBody.ShouldHaveError($"add[0].{field}", code);
            whatIfBody.Errors().Select(e => (e.Path.Replace("add[0]", "events[0]"), e.Code)).Order()
                .ShouldBe(postBody.Errors().Select(e => (e.Path, e.Code)).Order());
        }
    }

    [Fact]
    public async Task Given_an_event_posted_without_sources_When_it_is_echoed_Then_sources_is_an_empty_list_and_a_field_without_value_is_left_out()
    {
        // Given a negotiation and talks sent without sources or note
        var id = await app.GivenNegotiation("sourcesecho");
        var talks = Talks(Day(5));
        talks.Remove("sources");

        // When a what-if adds them and echoes them back
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new { add = new[] { talks } });

        // Then the echoed event has "sources": [] (an optional list is always there, docs/api.md "Conventions") and no "note"
        status.ShouldBe(200, body?.ToJsonString());
        var echoed = body!["hypothetical"]![0]!["event"]!.AsObject();
        echoed["sources"]!.AsArray().ShouldBeEmpty();
        echoed.ContainsKey("note").ShouldBeFalse(echoed.ToJsonString());
    }
}
