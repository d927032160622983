namespace Normalization.Domain.Validation;

/// <summary>One problem with user input: where it is (a JSON path such as <c>events[2].occurredOn</c>), a stable code, and what to do.</summary>
/// <param name="Path">Where: a field path such as <c>add[0].occurredOn</c>, <c>remove[1]</c>, <c>projectTo</c>.</param>
/// <param name="Code">What, as a stable code: <c>in_future</c>, <c>unknown_reference</c>, <c>out_of_range</c>, …</param>
/// <param name="Message">What to do, in a sentence.</param>
public sealed record FieldError(string Path, string Code, string Message);
