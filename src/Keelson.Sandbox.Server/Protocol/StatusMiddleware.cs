using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>
/// Every failure leaves as a <c>v1 Status</c>: an <see cref="ApiException"/> with its code, a path no route serves as
/// 404 NotFound, a verb a path does not take as 405 MethodNotAllowed, anything else as 500 InternalError.
/// </summary>
internal static class StatusMiddleware
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ApiException error) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, error).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            await WriteAsync(context, new ApiException(StatusCodes.Status500InternalServerError, "InternalError", $"Internal error occurred: {e.Message}")).ConfigureAwait(false);
            return;
        }

        if (!context.Response.HasStarted && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
        {
            var error = context.Response.StatusCode == StatusCodes.Status404NotFound
                ? ApiException.NoResource(context.Request.Path)
                : ApiException.MethodNotAllowed(context.Request.Method, context.Request.Path);
            await WriteAsync(context, error).ConfigureAwait(false);
        }
    }

    private static Task WriteAsync(HttpContext context, ApiException error) =>
        ApiJson.Result(error.ToStatus(), error.Code).ExecuteAsync(context);
}
