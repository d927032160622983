namespace Normalization.Domain.Validation;

/// <summary>One problem with user input: where it is (a JSON path such as <c>events[2].occurredOn</c>), a stable code, and what to do.</summary>
public sealed record FieldError(string Path, string Code, string Message);
