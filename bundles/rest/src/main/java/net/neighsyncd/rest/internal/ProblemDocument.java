package net.neighsyncd.rest.internal;

/**
 * An error as RFC 9457 describes it ({@code application/problem+json}): never a stack trace.
 *
 * @param type     a URI naming the kind of problem ({@code about:blank}: the status says it all)
 * @param title    the status's phrase
 * @param status   the HTTP status
 * @param detail   what was wrong with this request
 * @param instance the request's path
 */
record ProblemDocument(String type, String title, int status, String detail, String instance) {
    static final String MEDIA_TYPE = "application/problem+json";
}
