using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Negotiations;

/// <summary>POST /api/negotiations.</summary>
[Collection(ApiCollection.Name)]
public sealed class CreatingTests(AppFixture app)
{
    [Fact]
    public async Task Given_a_valid_negotiation_When_created_Then_201_with_Location_and_the_initial_state()
    {
        var id = TestApi.NewId("create");

        var (status, body, result) = await app.PostRaw("/api/negotiations", Json(TestApi.UsTaliban(id)));

        status.ShouldBe(201, body?.ToJsonString());
        result.Context.Response.Headers.Location.ToString().ShouldBe($"/api/negotiations/{id}");
        body!["id"]!.GetValue<string>().ShouldBe(id);
        body["version"]!.GetValue<int>().ShouldBe(1);
        body["stage"]!.GetValue<string>().ShouldBe("Estrangement");
        var (read, state) = await app.GetJson($"/api/negotiations/{id}");
        read.ShouldBe(200);
        state!["title"]!.GetValue<string>().ShouldBe("United States – Taliban");
    }

    [Fact]
    public async Task Given_an_existing_negotiation_When_the_same_id_is_created_again_Then_409_negotiation_exists()
    {
        var id = await app.GivenNegotiation("twice");

        var (status, body) = await app.PostJson("/api/negotiations", TestApi.UsTaliban(id));

        status.ShouldBe(409);
        body.ShouldBeProblem("negotiation_exists");
    }

    [Theory]
    [InlineData("Has-Capitals")]
    [InlineData("-leading-hyphen")]
    [InlineData("ab")]
    [InlineData("double--hyphen")]
    [InlineData("spaces not allowed")]
    public async Task Given_an_invalid_slug_When_creating_Then_400_with_the_id_path(string id)
    {
        var (status, body) = await app.PostJson("/api/negotiations", TestApi.UsTaliban(id));

        status.ShouldBe(400);
        body.ShouldBeProblem("validation_failed");
        body.ShouldHaveError("id", "invalid_slug");
    }

    [Fact]
    public async Task Given_one_party_When_creating_Then_400_parties_exactly_two()
    {
        var (status, body) = await app.PostJson("/api/negotiations", new { id = TestApi.NewId("one"), title = "t", parties = new[] { new { code = "US", name = "United States" } } });

        status.ShouldBe(400);
        body.ShouldHaveError("parties", "exactly_two");
    }

    [Fact]
    public async Task Given_bad_party_codes_and_names_When_creating_Then_400_with_each_field_path()
    {
        var (status, body) = await app.PostJson("/api/negotiations", new
        {
            id = TestApi.NewId("codes"), title = "",
            parties = new[] { new { code = "us", name = "United States" }, new { code = "TB", name = "" } },
            mediators = new[] { new { code = "qa!", name = "Qatar" } },
        });

        status.ShouldBe(400);
        body.ShouldHaveError("title", "required");
        body.ShouldHaveError("parties[0].code", "invalid_party_code");
        body.ShouldHaveError("parties[1].name", "required");
        body.ShouldHaveError("mediators[0].code", "invalid_party_code");
    }

    [Fact]
    public async Task Given_the_same_code_twice_When_creating_Then_400_duplicate_code()
    {
        var (status, body) = await app.PostJson("/api/negotiations", Negotiation(TestApi.NewId("same"), "US", "US"));

        status.ShouldBe(400);
        body.ShouldHaveError("parties[1].code", "duplicate_code");
    }

    [Fact]
    public async Task Given_a_wrongly_typed_field_When_creating_Then_400_naming_it()
    {
        var (status, body, _) = await app.PostRaw("/api/negotiations", """{"id":"typed-wrong","title":"t","parties":[{"code":5,"name":"x"},{"code":"TB","name":"y"}]}""");

        status.ShouldBe(400);
        body.ShouldHaveError("parties[0].code", "wrong_type");
    }

    [Fact]
    public async Task Given_an_unknown_field_or_no_id_When_creating_Then_400_per_field()
    {
        var (status, body, _) = await app.PostRaw("/api/negotiations", """{"title":"t","colour":"red"}""");

        status.ShouldBe(400);
        body.ShouldHaveError("colour", "unknown_field");
        body.ShouldHaveError("id", "required");
    }

    [Theory]
    [InlineData("""{"id":"null-party","title":"t","parties":[null,{"code":"TB","name":"Taliban"}]}""", "parties[0]")]
    [InlineData("""{"id":"null-party","title":"t","parties":[{"code":"US","name":"US"},null]}""", "parties[1]")]
    [InlineData("""{"id":"null-recog","title":"t","parties":[{"code":"US","name":"US"},{"code":"TB","name":"TB"}],"baseline":{"recognition":[null]}}""", "baseline.recognition[0]")]
    [InlineData("""{"id":"null-office","title":"t","parties":[{"code":"US","name":"US"},{"code":"TB","name":"TB"}],"baseline":{"offices":[null]}}""", "baseline.offices[0]")]
    [InlineData("""{"id":"null-desig","title":"t","parties":[{"code":"US","name":"US"},{"code":"TB","name":"TB"}],"baseline":{"designations":[null]}}""", "baseline.designations[0]")]
    [InlineData("""{"id":"null-sanction","title":"t","parties":[{"code":"US","name":"US"},{"code":"TB","name":"TB"}],"baseline":{"sanctions":[null]}}""", "baseline.sanctions[0]")]
    public async Task Given_null_list_entries_When_creating_Then_400_naming_the_entry_not_500(string raw, string path)
    {
        var (status, body, _) = await app.PostRaw("/api/negotiations", raw);

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError(path);
    }

    [Theory]
    [InlineData("{\"id\":")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Given_malformed_json_When_creating_Then_400_problem(string raw)
    {
        var (status, body, result) = await app.PostRaw("/api/negotiations", raw);

        status.ShouldBe(400);
        result.Context.Response.ContentType.ShouldStartWith("application/problem+json");
        body!["code"]!.GetValue<string>().ShouldBeOneOf("malformed_json", "not_an_object", "empty_body");
    }

    [Fact]
    public async Task Given_a_body_over_1_MiB_When_creating_Then_413()
    {
        var (status, body, _) = await app.PostRaw("/api/negotiations", JsonOfSize((1 << 20) + 10));

        status.ShouldBe(413);
        body.ShouldBeProblem("payload_too_large");
    }

    [Fact]
    public async Task Given_a_non_json_content_type_When_creating_Then_415()
    {
        var (status, body, _) = await app.PostRaw("/api/negotiations", Json(TestApi.UsTaliban(TestApi.NewId("txt"))), contentType: "text/plain");

        status.ShouldBe(415);
        body.ShouldBeProblem("unsupported_media_type");
    }
}
