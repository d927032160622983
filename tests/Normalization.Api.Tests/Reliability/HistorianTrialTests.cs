using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// A diplomatic historian's trial (US–China 1969–1979, US–Libya 2003–2009 recorded through the API): the mistakes such a
/// user makes with dates and the answers they must get. 1900-01-01 is the record's first possible day for every date a
/// record holds — an event's occurredOn, a source's publishedOn, and how far the record reaches (coveredUntil).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HistorianTrialTests(AppFixture app)
{
    async Task<int> VersionOf(string id) => (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();

    [Theory]
    [InlineData("1899-12-31")] [InlineData("1079-12-31")] [InlineData("0001-01-01")]
    public async Task Given_a_coverage_before_1900_When_put_posted_as_a_review_or_tried_in_a_what_if_Then_422_out_of_range_at_coveredUntil_and_nothing_is_written(string covered)
    {
        // Given a negotiation with talks (a historian typing 1079 for 1979)
        var id = await app.GivenNegotiation("covearly");
        await app.GivenEvents(id, Talks(Day(30)));
        var version = await VersionOf(id);
        var review = new JsonObject { ["type"] = "RecordReviewed", ["occurredOn"] = Day(0), ["actor"] = "EDITOR", ["confidence"] = "Confirmed", ["coveredUntil"] = covered };

        // When the coverage is declared through PUT, posted as a RecordReviewed, and added in a what-if
        var (put, putBody) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = covered });
        var (post, postBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { review } });
        var (whatIf, whatIfBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject { ["add"] = new JsonArray(review.DeepClone()) });

        // Then each is 422 out_of_range at coveredUntil, as an occurredOn before 1900 is, and nothing is written
        put.ShouldBe(422, putBody?.ToJsonString());
        putBody.ShouldHaveError("coveredUntil", "out_of_range");
        post.ShouldBe(422, postBody?.ToJsonString());
        postBody.ShouldHaveError("events[0].coveredUntil", "out_of_range");
        whatIf.ShouldBe(422, whatIfBody?.ToJsonString());
        whatIfBody.ShouldHaveError("add[0].coveredUntil", "out_of_range");
        (await VersionOf(id)).ShouldBe(version);
    }

    [Fact]
    public async Task Given_a_coverage_before_1900_When_a_negotiation_is_created_or_imported_with_it_Then_422_out_of_range_and_nothing_is_created()
    {
        // Given a negotiation body and a history file declaring coveredUntil 1079-12-31
        var id = TestApi.NewId("covcreate1079");
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Negotiation(id)))!.AsObject();
        body["coveredUntil"] = "1079-12-31";
        var fileId = TestApi.NewId("covimport1079");
        var header = new JsonObject
        {
            ["type"] = "NegotiationOpened", ["id"] = fileId, ["title"] = "Covered too early",
            ["parties"] = new JsonArray(new JsonObject { ["code"] = "US", ["name"] = "United States" }, new JsonObject { ["code"] = "TB", ["name"] = "Taliban" }),
            ["coveredUntil"] = "1079-12-31",
        };
        var path = Path.Combine(Path.GetTempPath(), $"{fileId}.ndjson");
        await File.WriteAllTextAsync(path, header.ToJsonString() + "\n" + Talks(Day(3)).ToJsonString() + "\n");

        // When the negotiation is created, and the file imported as a new negotiation
        var (status, answer) = await app.PostJson("/api/negotiations", body);
        var report = await app.Host.Services.GetRequiredService<Importer>().ImportAsync(new ImportRequest { Path = path, Into = fileId });

        // Then both are refused at coveredUntil (out_of_range) and neither negotiation exists
        status.ShouldBe(422, answer?.ToJsonString());
        answer.ShouldHaveError("coveredUntil", "out_of_range");
        (await app.GetJson($"/api/negotiations/{id}")).Status.ShouldBe(404);
        report.Succeeded.ShouldBeFalse();
        report.Errors.Select(e => (e.Line, e.Path, e.Code)).ShouldBe([(1, "coveredUntil", "out_of_range")]);
        (await app.GetJson($"/api/negotiations/{fileId}")).Status.ShouldBe(404);
    }

    [Theory]
    [InlineData("July 1971", "1971-07")] [InlineData("Jul 1971", "1971-07")] [InlineData("Dec-1978", "1978-12")] [InlineData("Mar-25", null)]
    public async Task Given_a_CSV_row_dated_by_a_month_as_a_person_or_a_spreadsheet_writes_it_When_imported_Then_422_excel_date_whose_message_offers_YYYY_MM(string written, string? month)
    {
        // Given a negotiation and a CSV history row dated "July 1971" (typed) or "Mar-25" (Excel's display of 2025-03)
        var id = await app.GivenNegotiation("csvmonth");
        var csv = "eventId,type,occurredOn,actor,target,confidence,sources,note,fields\n" +
                  $",TalksHeld,{written},US,TB,Confirmed,,,\"{{\"\"participants\"\":[\"\"US\"\",\"\"TB\"\"]}}\"\n";

        // When it is imported
        var (status, body) = await Import(id, csv);

        // Then the row is refused at occurredOn, and the message does not push a day onto a month-dated event: it names
        // YYYY-MM (and the month meant, when the year has four digits)
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("lines[2].occurredOn", "excel_date");
        var message = body.Errors().Single(e => e.Path == "lines[2].occurredOn").Message;
        message.ShouldContain("YYYY-MM (");
        if (month is not null) message.ShouldContain($"is {month}");
        (await VersionOf(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_an_agreement_whose_date_was_corrected_When_a_what_if_replaces_it_by_the_same_agreement_a_year_later_Then_200_and_the_branch_holds_the_replacement()
    {
        // Given talks and an agreement (the Shanghai Communiqué of the trial) posted dated 28 February, corrected to the 27th
        var id = await app.GivenNegotiation("whatifcorr");
        var agreementId = Guid.NewGuid();
        JsonObject Agreement(string on) => new()
        {
            ["type"] = "AgreementSigned", ["occurredOn"] = on, ["actor"] = "US", ["target"] = "TB", ["confidence"] = "Confirmed",
            ["name"] = "Joint Communiqué", ["signatories"] = new JsonArray("US", "TB"),
            ["commitments"] = new JsonArray(new JsonObject { ["commitmentId"] = "forces", ["party"] = "US", ["text"] = "Reduce forces." }),
        };
        var posted = Agreement(Day(300)); posted["eventId"] = agreementId.ToString();
        var correction = new JsonObject
        {
            ["type"] = "EventCorrected", ["occurredOn"] = Day(290), ["actor"] = "EDITOR", ["confidence"] = "Confirmed",
            ["targetEventId"] = agreementId.ToString(), ["correction"] = Agreement(Day(301)),
        };
        await app.GivenEvents(id, Talks(Day(302)), posted, correction);

        // When a what-if replaces it by the same agreement, same commitment, signed later; and another removes it and adds that one
        var (replaced, replacedBody) = await app.PostJson($"/api/negotiations/{id}/what-if",
            new JsonObject { ["replace"] = new JsonArray(new JsonObject { ["eventId"] = agreementId.ToString(), ["event"] = Agreement(Day(10)) }) });
        var (removed, removedBody) = await app.PostJson($"/api/negotiations/{id}/what-if",
            new JsonObject { ["remove"] = new JsonArray(agreementId.ToString()), ["add"] = new JsonArray(Agreement(Day(10))) });

        // Then both stand (no duplicate_id on the commitment the replaced event opened) and the branch's agreement is the new one
        replaced.ShouldBe(200, replacedBody?.ToJsonString());
        replacedBody!["projected"]!["ledger"]!["agreements"]!.AsArray().ShouldHaveSingleItem()!["signedOn"]!.GetValue<string>().ShouldBe(Day(10));
        removed.ShouldBe(200, removedBody?.ToJsonString());
        removedBody!["projected"]!["ledger"]!["agreements"]!.AsArray().ShouldHaveSingleItem()!["signedOn"]!.GetValue<string>().ShouldBe(Day(10));
    }

    [Fact]
    public async Task Given_a_corrected_event_When_the_correction_itself_is_corrected_Then_422_not_allowed_alone_naming_the_event_to_correct()
    {
        // Given talks posted, then corrected to the day before
        var id = await app.GivenNegotiation("corrcorr");
        var talksId = Guid.NewGuid();
        var correctionId = Guid.NewGuid();
        var corrected = Talks(Day(21), eventId: talksId);
        await app.GivenEvents(id, Talks(Day(20), eventId: talksId), new JsonObject
        {
            ["eventId"] = correctionId.ToString(), ["type"] = "EventCorrected", ["occurredOn"] = Day(5), ["actor"] = "EDITOR",
            ["confidence"] = "Confirmed", ["targetEventId"] = talksId.ToString(), ["correction"] = corrected.DeepClone(),
        });
        var version = await VersionOf(id);

        // When a historian corrects the correction (as it shows in the timeline) with the talks as they should read
        var again = new JsonObject
        {
            ["type"] = "EventCorrected", ["occurredOn"] = Day(1), ["actor"] = "EDITOR", ["confidence"] = "Confirmed",
            ["targetEventId"] = correctionId.ToString(), ["correction"] = Talks(Day(22), eventId: talksId),
        };
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { again } });

        // Then one error: not_allowed at targetEventId, naming the talks to correct instead — no type_mismatch asking for an
        // EventCorrected body, which would be refused too — and nothing is written
        status.ShouldBe(422, body?.ToJsonString());
        var error = body.Errors().ShouldHaveSingleItem();
        error.Path.ShouldBe("events[0].targetEventId");
        error.Code.ShouldBe("not_allowed");
        error.Message.ShouldContain(talksId.ToString());
        (await VersionOf(id)).ShouldBe(version);
    }

    async Task<(int Status, JsonNode? Body)> Import(string id, string text)
    {
        using var client = app.Host.Server.CreateClient();
        using var content = new StringContent(text, System.Text.Encoding.UTF8, "text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{id}/imports?format=csv") { Content = content };
        request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, AppFixture.ApiKey);
        using var response = await client.SendAsync(request);
        var text2 = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(text2) ? null : JsonNode.Parse(text2));
    }
}
