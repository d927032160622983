using System.Text.Json.Nodes;

namespace Normalization.Api.Http;

/// <summary>Example bodies of the contract (the same ones docs/api.md shows). Each call returns a fresh node.</summary>
public static class OpenApiExamples
{
    public static JsonNode CreateNegotiation => JsonNode.Parse("""
        {"id":"us-taliban-demo","title":"United States – Taliban",
         "parties":[{"code":"US","name":"United States"},{"code":"TB","name":"Taliban"}],
         "mediators":[{"code":"QA","name":"Qatar"}],"baseline":{}}
        """)!;

    public static JsonNode PrisonerRelease => JsonNode.Parse("""
        {"eventId":"3f9d2b7e-6a41-4c58-b0e2-7d15a8c94f36","type":"PrisonerReleased","occurredOn":"2025-03-20","actor":"TB","target":"US",
         "confidence":"Confirmed","sources":[{"publisher":"CNN","url":"https://edition.cnn.com/","publishedOn":"2025-04-03"}],
         "person":"George Glezmann","nationality":"US","terms":"Goodwill","facilitator":"QA"}
        """)!;

    public static JsonNode PostEventsResponse => JsonNode.Parse("""
        {"id":"us-taliban-demo","version":3,
         "events":[{"eventId":"b7a4e1b2-3c1d-4f7e-9a0b-8d2c6e5f4a31","status":"stored"},{"eventId":"3f9d2b7e-6a41-4c58-b0e2-7d15a8c94f36","status":"stored"}],
         "stored":2,"duplicates":0,"stage":"Estrangement","previousStage":"Estrangement","stageChanged":false}
        """)!;

    public static JsonNode State => JsonNode.Parse("""
        {"id":"us-taliban-demo","title":"United States – Taliban","parties":[{"code":"US","name":"United States"},{"code":"TB","name":"Taliban"}],
         "mediators":[{"code":"QA","name":"Qatar"}],"asOf":"2025-04-15","knownAt":null,"minConfidence":"Reported",
         "stage":"Exploratory","stageSince":"2025-03-20",
         "why":{"rule":"talks-within-window","description":"The parties have talked within the window.","eventIds":["b7a4e1b2-3c1d-4f7e-9a0b-8d2c6e5f4a31"]},
         "ledger":{"demands":[],"requests":[],"gesturesByParty":{"TB":[{"party":"TB","on":"2025-03-20","type":"PrisonerReleased","eventId":"3f9d2b7e-6a41-4c58-b0e2-7d15a8c94f36"}]}},
         "momentum":{"score":14,"previousScore":0,"trend":"Improving","windowDays":90,"contributions":[]},
         "stageHistory":[{"on":null,"from":null,"to":"Estrangement","rule":"no-contact","description":"No relations, recognition or office; no recent talks or hostile acts.","eventIds":[]},
                         {"on":"2025-03-20","from":"Estrangement","to":"Exploratory","rule":"talks-within-window","description":"The parties have talked within the window.","eventIds":["b7a4e1b2-3c1d-4f7e-9a0b-8d2c6e5f4a31"]}],
         "eventCount":2,"lastEventOn":"2025-03-20","version":3}
        """)!;

    public static JsonNode Board => JsonNode.Parse("""
        {"items":[{"id":"us-taliban-demo","title":"United States – Taliban","parties":[{"code":"US","name":"United States"},{"code":"TB","name":"Taliban"}],
                   "stage":"Estrangement","stageSince":"2026-03-20","lastEventOn":"2025-03-20",
                   "momentum":{"score":0,"previousScore":0,"trend":"Stable"},"version":3}],
         "page":1,"pageSize":50,"total":1}
        """)!;

    public static JsonNode Stages => JsonNode.Parse("""
        {"id":"us-taliban-demo","from":"2025-01-01","to":"2026-11-25","knownAt":null,"stage":"Estrangement","stageSince":"2026-03-20",
         "transitions":[{"on":null,"from":null,"to":"Estrangement","rule":"no-contact","description":"…","eventIds":[]},
                        {"on":"2025-03-20","from":"Estrangement","to":"Exploratory","rule":"talks-within-window","description":"…","eventIds":["b7a4e1b2-3c1d-4f7e-9a0b-8d2c6e5f4a31"]},
                        {"on":"2026-03-20","from":"Exploratory","to":"Estrangement","rule":"no-contact","description":"…","eventIds":[]}]}
        """)!;

    public static JsonNode Timeline => JsonNode.Parse("""
        {"id":"us-taliban-demo","page":1,"pageSize":100,"total":1,
         "items":[{"eventId":"3f9d2b7e-6a41-4c58-b0e2-7d15a8c94f36","type":"PrisonerReleased","occurredOn":"2025-03-20","precision":"Day",
                   "actor":"TB","target":"US","confidence":"Confirmed","sources":[{"publisher":"CNN","url":"https://edition.cnn.com/","publishedOn":"2025-04-03"}],
                   "note":null,"status":"active","retractedBy":null,"correctedBy":null,"goldstein":7,"cameo":"0841","plover":"RETREAT",
                   "version":3,"recordedAt":"2026-11-25T12:00:00.000000+00:00","postedBy":"development",
                   "event":{"eventId":"3f9d2b7e-6a41-4c58-b0e2-7d15a8c94f36","type":"PrisonerReleased","occurredOn":"2025-03-20","actor":"TB","target":"US","confidence":"Confirmed","person":"George Glezmann","nationality":"US","terms":"Goodwill","facilitator":"QA"}}]}
        """)!;

    public const string TimelineCsv =
        "eventId,type,occurredOn,actor,target,confidence,status,cameo,goldstein,plover,sources,note,fields\r\n" +
        "3f9d2b7e-6a41-4c58-b0e2-7d15a8c94f36,PrisonerReleased,2025-03-20,TB,US,Confirmed,active,0841,7,RETREAT,\"[{\"\"publisher\"\":\"\"CNN\"\"}]\",,\"{\"\"person\"\":\"\"George Glezmann\"\",\"\"nationality\"\":\"\"US\"\",\"\"terms\"\":\"\"Goodwill\"\",\"\"facilitator\"\":\"\"QA\"\"}\"\r\n";


    /// <summary>The request-body examples of a request record (by type, not by path): key, summary, value.</summary>
    public static IEnumerable<(string Key, string Summary, JsonNode Value)> ForRequest(Type request)
    {
        if (request == typeof(Negotiations.Creating.CreateNegotiationRequest))
            yield return ("us-taliban", "The US–Taliban negotiation", CreateNegotiation);
        else if (request == typeof(Events.Posting.PostEventsRequest))
        {
            yield return ("prisoner-release", "The March 2025 prisoner release", new JsonObject { ["events"] = new JsonArray(PrisonerRelease) });
            foreach (var t in Domain.Catalog.EventCatalog.All)
                yield return (t.Name, $"One {t.Name}", new JsonObject { ["events"] = new JsonArray(Catalog.EventExamples.For(t)) });
        }
        else if (request == typeof(Events.Retracting.RetractRequest))
            yield return ("retract", "Retract with a reason", JsonNode.Parse("""{"reason":"The report was denied by both sides."}""")!);
        else if (request == typeof(WhatIf.WhatIfRequest))
            yield return ("detention", "What if an American had been detained the next day?", JsonNode.Parse("""
                {"asOf":"2025-04-03","add":[{"type":"PersonDetained","occurredOn":"2025-04-04","actor":"TB","target":"US","person":"an aid worker","nationality":"US"}]}
                """)!);
        else if (request == typeof(Alerts.Subscribing.CreateSubscription))
            yield return ("newsroom", "Changes into or out of Representation for US negotiations", JsonNode.Parse("""
                {"url":"https://hooks.newsroom.example/normalization","secret":"a-long-random-secret","party":"US","stages":["Representation"]}
                """)!);
        else if (request == typeof(WhatIf.SaveScenarioRequest))
            yield return ("equipment-returned", "What if the equipment had been returned?", JsonNode.Parse("""
                {"name":"equipment-returned","add":[{"type":"DemandMet","occurredOn":"2025-04-10","actor":"TB","target":"US","demandId":"us-equipment"}]}
                """)!);
    }
}
