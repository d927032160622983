using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using JasperFx.Core.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace Normalization.Api.Http.Requests;

/// <summary>
/// Wolverine parameter strategy (registered in Program.cs with <c>AddParameterHandlingStrategy</c>): an endpoint parameter
/// whose type is an <see cref="IJsonRequest{TSelf}"/> or <see cref="IQueryRequest{TSelf}"/> is read by
/// <see cref="RequestReader"/> as the first step of the generated handler, which ends the request with the reader's
/// ProblemDetails when there is one. A <c>Load</c>/<c>Validate</c> step that takes the same record gets the same variable.
/// </summary>
public sealed class RequestBinding : IParameterStrategy
{
    /// <inheritdoc/>
    public bool TryMatch(HttpChain chain, IServiceContainer container, ParameterInfo parameter, out Variable? variable)
    {
        var type = parameter.ParameterType;
        if (type == typeof(StreamVersion))
        {
            // Bound by RequestStepOrder to the variable KnownNegotiation's step creates (the query string must not bind it).
            variable = new Variable(type, "unboundStreamVersion");
            return true;
        }
        var body = type.Closes(typeof(IJsonRequest<>));
        if (!body && !type.Closes(typeof(IQueryRequest<>)))
        {
            variable = null;
            return false;
        }
        // Idempotent: the endpoint and its steps share one read.
        var frame = chain.Middleware.OfType<ReadRequestFrame>().FirstOrDefault(f => f.Request.VariableType == type) ?? new ReadRequestFrame(type, body);
        variable = frame.Request;
        return true;
    }

    /// <summary>
    /// <c>var (x, xProblem) = [await] RequestReader.BodyAsync&lt;T&gt;(httpContext, clock) / Query&lt;T&gt;(httpContext.Request, clock);
    /// if (xProblem != null) { await xProblem.ExecuteAsync(httpContext); return; }</c>
    /// </summary>
    internal sealed class ReadRequestFrame : AsyncFrame
    {
        public bool Body { get; }
        Variable? _http;
        Variable? _clock;

        public ReadRequestFrame(Type type, bool body)
        {
            Body = body;
            Request = new Variable(type, Variable.DefaultArgName(type), this);
        }

        public Variable Request { get; }

        public override IEnumerable<Variable> FindVariables(IMethodVariables chain)
        {
            _http = chain.FindVariable(typeof(HttpContext));
            yield return _http;
            _clock = chain.FindVariable(typeof(TimeProvider));
            yield return _clock;
        }

        public override void GenerateCode(GeneratedMethod method, ISourceWriter writer)
        {
            var problem = Request.Usage + "Problem";
            var reader = typeof(RequestReader).FullNameInCode();
            var type = Request.VariableType.FullNameInCode();
            writer.WriteComment(Body ? "Reading the request body strictly (JsonBody, then the record's Read)" : "Reading the query string strictly");
            writer.Write(Body
                ? $"var ({Request.Usage}, {problem}) = await {reader}.{nameof(RequestReader.BodyAsync)}<{type}>({_http!.Usage}, {_clock!.Usage}).ConfigureAwait(false);"
                : $"var ({Request.Usage}, {problem}) = {reader}.{nameof(RequestReader.Query)}<{type}>({_http!.Usage}.Request, {_clock!.Usage});");
            writer.Write($"BLOCK:if ({problem} != null)");
            writer.Write($"await {problem}.ExecuteAsync({_http.Usage}).ConfigureAwait(false);");
            writer.Write("return;");
            writer.FinishBlock();
            writer.BlankLine();
            Next?.GenerateCode(method, writer);
        }
    }
}

/// <summary>
/// Wolverine HTTP policy (registered in Program.cs with <c>AddPolicy</c>), run once the chains are built: the request read
/// (<see cref="RequestBinding"/>) becomes the first step of every handler — ahead of the steps added by <c>[Middleware]</c>,
/// which Wolverine puts first — so a bad body or query is a 400 before a <c>Load</c> step can answer 404; and an endpoint's
/// <see cref="StreamVersion"/> parameter gets the value loaded by <see cref="KnownNegotiation"/>. It also puts the
/// request's contract into the endpoint's metadata, where ApiExplorer and the OpenAPI document read it: the request record
/// (<see cref="RequestRecordMetadata"/>), the problems its reading can answer (400; a body also 413 and 415), 503
/// <c>database_unavailable</c> on every endpoint; and it drops the 200 <c>IResult</c> / bare 404 that Wolverine infers
/// from an <c>IResult</c> return (the endpoint's <c>[ProducesResponseType]</c> / <c>[ProducesProblem]</c> say what it answers).
/// </summary>
public sealed class RequestStepOrder : IHttpPolicy
{
    /// <inheritdoc/>
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var reads = chain.Middleware.OfType<RequestBinding.ReadRequestFrame>().ToList();
            foreach (var read in reads)
            {
                chain.Metadata.WithMetadata(new RequestRecordMetadata(read.Request.VariableType, read.Body), ProducesProblemAttribute.Of(StatusCodes.Status400BadRequest));
                if (read.Body)
                    chain.Metadata.WithMetadata(ProducesProblemAttribute.Of(StatusCodes.Status413PayloadTooLarge), ProducesProblemAttribute.Of(StatusCodes.Status415UnsupportedMediaType));
            }
            chain.Metadata.WithMetadata(ProducesProblemAttribute.Of(StatusCodes.Status503ServiceUnavailable));
            chain.Metadata.Finally(endpoint =>
            {
                var inferred = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Where(m => m.Type is null || m.Type == typeof(void) || m.Type == typeof(IResult)).ToList();
                foreach (var m in inferred) endpoint.Metadata.Remove(m);
            });
            foreach (var read in reads) chain.Middleware.Remove(read);
            var firstStep = chain.Middleware.FindIndex(f => f is MethodCall);
            chain.Middleware.InsertRange(firstStep < 0 ? chain.Middleware.Count : firstStep, reads);

            var arguments = chain.Method.Arguments;
            for (var i = 0; i < arguments.Length; i++)
            {
                if (arguments[i]?.VariableType != typeof(StreamVersion)) continue;
                arguments[i] = chain.Middleware.OfType<MethodCall>().SelectMany(m => m.Creates).FirstOrDefault(v => v.VariableType == typeof(StreamVersion))
                    ?? throw new InvalidOperationException($"{chain.Method} takes a {nameof(StreamVersion)}: add [Middleware(typeof({nameof(KnownNegotiation)}))].");
            }
        }
    }
}

/// <summary>Endpoint metadata: the endpoint's request record and whether it is the JSON body (else the query string).</summary>
public sealed record RequestRecordMetadata(Type Type, bool Body);
