using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// LINQ over typed operations (<see cref="RequestOperation{T}"/>, what the generated operations return when the spec
/// gives their success response a model): the element is a <see cref="KlaviyoResponse{T}"/>, the response with its
/// body decoded leniently (<see cref="ModelJson"/>). A body that does not fit stops the program with a
/// <see cref="KlaviyoError.Decode"/> naming the JSON path; an error response stops it as before.
/// </summary>
/// <example><code>
/// var program =
///     from page in Profiles.GetProfiles(pageSize: 20)
///     select page.Data.Select(p => p.Attributes.Email);
/// </code></example>
public static class TypedOperations
{
    /// <summary>A program that sends <paramref name="operation"/> once and yields its decoded response.</summary>
    /// <param name="operation">The request.</param>
    /// <typeparam name="T">The model of the success response.</typeparam>
    public static Operation<KlaviyoResponse<T>> ToTypedOperation<T>(
        this RequestOperation<T> operation
    ) => Operation.Send(operation).Bind(Decode<T>);

    /// <summary>LINQ <c>select</c> on a typed request: sends it, decodes the body and transforms the response.</summary>
    /// <param name="operation">The request.</param>
    /// <param name="map">The function of the decoded response.</param>
    /// <typeparam name="T">The model of the success response.</typeparam>
    /// <typeparam name="B">The result.</typeparam>
    public static Operation<B> Select<T, B>(
        this RequestOperation<T> operation,
        Func<KlaviyoResponse<T>, B> map
    ) => operation.ToTypedOperation().Map(map);

    /// <summary>Sends the typed request, then continues with the operation <paramref name="bind"/> chooses.</summary>
    /// <param name="operation">The request.</param>
    /// <param name="bind">The function choosing the next operation.</param>
    /// <typeparam name="T">The model of the success response.</typeparam>
    /// <typeparam name="B">The result.</typeparam>
    public static Operation<B> SelectMany<T, B>(
        this RequestOperation<T> operation,
        Func<KlaviyoResponse<T>, Operation<B>> bind
    ) => operation.ToTypedOperation().Bind(bind);

    /// <summary>LINQ <c>from … from … select</c>: a typed request followed by an operation.</summary>
    /// <param name="operation">The request.</param>
    /// <param name="bind">The function choosing the next operation.</param>
    /// <param name="project">Combines the response and the value.</param>
    /// <typeparam name="T">The model of the success response.</typeparam>
    /// <typeparam name="B">The next operation's value.</typeparam>
    /// <typeparam name="C">The result.</typeparam>
    public static Operation<C> SelectMany<T, B, C>(
        this RequestOperation<T> operation,
        Func<KlaviyoResponse<T>, Operation<B>> bind,
        Func<KlaviyoResponse<T>, B, C> project
    ) => operation.ToTypedOperation().SelectMany(bind, project);

    /// <summary>LINQ <c>from … from … select</c>: a typed request, then an untyped one chosen from its response.</summary>
    /// <param name="operation">The first request.</param>
    /// <param name="bind">The function choosing the second request.</param>
    /// <param name="project">Combines both responses.</param>
    /// <typeparam name="T">The model of the first success response.</typeparam>
    /// <typeparam name="C">The result.</typeparam>
    public static Operation<C> SelectMany<T, C>(
        this RequestOperation<T> operation,
        Func<KlaviyoResponse<T>, RequestOperation> bind,
        Func<KlaviyoResponse<T>, KlaviyoResponse, C> project
    ) => operation.ToTypedOperation().SelectMany(bind, project);

    /// <summary>LINQ <c>from … from … select</c>: two typed requests, the second chosen from the first response.</summary>
    /// <param name="operation">The first request.</param>
    /// <param name="bind">The function choosing the second request.</param>
    /// <param name="project">Combines both decoded responses.</param>
    /// <typeparam name="T">The model of the first success response.</typeparam>
    /// <typeparam name="U">The model of the second success response.</typeparam>
    /// <typeparam name="C">The result.</typeparam>
    public static Operation<C> SelectMany<T, U, C>(
        this RequestOperation<T> operation,
        Func<KlaviyoResponse<T>, RequestOperation<U>> bind,
        Func<KlaviyoResponse<T>, KlaviyoResponse<U>, C> project
    ) => operation.ToTypedOperation().SelectMany(t => bind(t).ToTypedOperation(), project);

    /// <summary>LINQ <c>from … from … select</c>: a typed request followed by a step that may fail.</summary>
    /// <param name="operation">The request.</param>
    /// <param name="bind">The step.</param>
    /// <param name="project">Combines the response and the value.</param>
    /// <typeparam name="T">The model of the success response.</typeparam>
    /// <typeparam name="B">The step's value.</typeparam>
    /// <typeparam name="C">The result.</typeparam>
    public static Operation<C> SelectMany<T, B, C>(
        this RequestOperation<T> operation,
        Func<KlaviyoResponse<T>, Either<KlaviyoError, B>> bind,
        Func<KlaviyoResponse<T>, B, C> project
    ) => operation.ToTypedOperation().SelectMany(bind, project);

    /// <summary>
    /// Decodes a success response's body into <typeparamref name="T"/> (lenient); a body that is not JSON, or of
    /// the wrong shape, is a <see cref="KlaviyoError.Decode"/> carrying the response's status and headers.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <typeparam name="T">The model.</typeparam>
    public static Either<KlaviyoError, KlaviyoResponse<T>> Decode<T>(KlaviyoResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response is KlaviyoResponse<T> typed)
            return typed;
        return response.Body is ResponseBody.Json json
            ? ModelJson
                .Decode<T>(json.Utf8)
                .Map(value => new KlaviyoResponse<T>(response, value))
                .MapLeft(error => From(error, response))
            : Left<KlaviyoError, KlaviyoResponse<T>>(
                new KlaviyoError.Decode(
                    $"expected a JSON body to read as {typeof(T).Name}, found {(response.Body is ResponseBody.Empty ? "none" : "text")}",
                    response.StatusCode,
                    response.Headers,
                    response.Body is ResponseBody.Text t ? t.Value : ""
                )
                {
                    Attempts = response.Attempts,
                }
            );
    }

    private static KlaviyoError From(KlaviyoError error, KlaviyoResponse response) =>
        error is KlaviyoError.Decode d
            ? d with
            {
                StatusCode = response.StatusCode,
                Headers = response.Headers,
                Attempts = response.Attempts,
            }
            : error;
}
