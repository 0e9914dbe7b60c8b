package dev.catchup.spring.propagation;

import dev.catchup.sdk.ConsistencyToken;
import dev.catchup.sdk.Session;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Sets the session's token header on the response at the last moment it can: before the first
 * byte of the body is handed on (after which the container may commit at any time), before a
 * flush, an error or a redirect, and once more when the request ends if the response is still not
 * committed (covering writes made after the body began). Headers cannot change after the commit,
 * so a write made after the response committed (a streamed body) does not reach this response's
 * header; the session is still correct for the request's own reads.
 */
final class TokenOnCommitResponse extends HttpServletResponseWrapper {
  private final String headerName;
  private final Session session;
  private ServletOutputStream out;
  private PrintWriter writer;
  // The writes the header last reflected: a body written in many pieces sets the header once, not
  // once per piece (the session's token is a merge, computed only when the writes changed).
  private ConsistencyToken writtenWhenSet;

  TokenOnCommitResponse(HttpServletResponse response, String headerName, Session session) {
    super(response);
    this.headerName = headerName;
    this.session = session;
  }

  /** Sets the header if the session wrote and the response can still take headers. */
  void setTokenIfWritten() {
    HttpServletResponse response = (HttpServletResponse) getResponse();
    if (response.isCommitted()) {
      return;
    }
    ConsistencyToken written = session.writtenToken();
    if (written.isEmpty() || written.equals(writtenWhenSet)) {
      return;
    }
    response.setHeader(headerName, session.token().encode());
    writtenWhenSet = written;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (out == null) {
      out = new TokenStream(super.getOutputStream());
    }
    return out;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      writer = new PrintWriter(new TokenWriter(super.getWriter()));
    }
    return writer;
  }

  @Override
  public void flushBuffer() throws IOException {
    setTokenIfWritten();
    super.flushBuffer();
  }

  @Override
  public void sendError(int sc) throws IOException {
    setTokenIfWritten();
    super.sendError(sc);
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    setTokenIfWritten();
    super.sendError(sc, msg);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    setTokenIfWritten();
    super.sendRedirect(location);
  }

  private final class TokenStream extends ServletOutputStream {
    private final ServletOutputStream delegate;

    TokenStream(ServletOutputStream delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(int b) throws IOException {
      setTokenIfWritten();
      delegate.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      setTokenIfWritten();
      delegate.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      setTokenIfWritten();
      delegate.flush();
    }

    @Override
    public void close() throws IOException {
      setTokenIfWritten();
      delegate.close();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      delegate.setWriteListener(listener);
    }
  }

  private final class TokenWriter extends Writer {
    private final PrintWriter delegate;

    TokenWriter(PrintWriter delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      setTokenIfWritten();
      delegate.write(cbuf, off, len);
    }

    @Override
    public void write(String str, int off, int len) {
      setTokenIfWritten();
      delegate.write(str, off, len);
    }

    @Override
    public void flush() {
      setTokenIfWritten();
      delegate.flush();
    }

    @Override
    public void close() {
      setTokenIfWritten();
      delegate.close();
    }
  }
}
