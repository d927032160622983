namespace Normalization.Api.WhatIf;

/// <summary>
/// A saved what-if scenario, a Marten document (registered in <c>MartenSetup</c>, so start-up, <c>db-apply</c> and
/// <c>db-patch</c> create its table). It holds only the hypothetical changes as they were sent, never a copy of the
/// history, so re-running it later answers against the history as it has grown. One per negotiation and name.
/// </summary>
public sealed class SavedScenario
{
    /// <summary><c>"{negotiationId}/{name}"</c> (<see cref="IdOf"/>): both are slugs, which never hold a '/', so two pairs never share an id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The negotiation it branches (indexed: the list reads by it).</summary>
    public string NegotiationId { get; set; } = "";

    /// <summary>Its name: 1–64 lower-case letters, digits and hyphens.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// The changes as received: <see cref="WhatIfChanges.Raw"/>, the JSON object of the <c>add</c> / <c>remove</c> /
    /// <c>replace</c> arrays sent. Kept as a string, so a re-run reads back exactly the text that was saved.
    /// </summary>
    public string Changes { get; set; } = "{}";

    /// <summary>When it was last saved (the app's <see cref="TimeProvider"/>, UTC, to the microsecond).</summary>
    public DateTimeOffset SavedAt { get; set; }

    /// <summary>The document id of scenario <paramref name="name"/> of negotiation <paramref name="negotiationId"/>.</summary>
    public static string IdOf(string negotiationId, string name) => $"{negotiationId}/{name}";
}
