using Microsoft.AspNetCore.Http;

namespace DepHealth.AspNetCore.Api;

/// <summary>A pre-serialized JSON body with a status code.</summary>
internal sealed class JsonBytesResult(byte[] body, int statusCode = StatusCodes.Status200OK) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = body.Length;
        return httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
