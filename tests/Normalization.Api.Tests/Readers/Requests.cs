using System.Text.Json.Nodes;
using Alba;
using Normalization.Api.Security;

namespace Normalization.Api.Tests.Readers;

/// <summary>Raw requests against any Alba host (the reader tests run second hosts beside the collection's).</summary>
static class Requests
{
    public static async Task<(int Status, JsonNode? Body, IScenarioResult Result)> Send(this IAlbaHost host, string method, string url, string? body = null, string? apiKey = null, System.Net.IPAddress? from = null)
    {
        var result = await host.Scenario(s =>
        {
            if (method == "GET") s.Get.Url(url);
            else if (method == "DELETE") s.Delete.Url(url);
            else
            {
                // Alba's ToUrl takes a path: the query string of a POST is set on the request itself.
                var q = url.IndexOf('?');
                (method == "PUT" ? s.Put : s.Post).Text(body ?? "{}").ToUrl(q < 0 ? url : url[..q]);
                if (q >= 0) s.ConfigureHttpContext(c => c.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(url[q..]));
            }
            if (method != "GET") s.WithRequestHeader("Content-Type", "application/json");
            if (apiKey is not null) s.WithRequestHeader(ApiKeys.Header, apiKey);
            if (from is not null) s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = from);
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        JsonNode? parsed = null;
        try { parsed = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        return (result.Context.Response.StatusCode, parsed, result);
    }
}
