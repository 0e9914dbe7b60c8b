package dev.catchup.sdk;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * A prepared statement as a {@link RoutedConnection} hands it out: see {@link StatementFacade}. Its
 * metadata and {@code clearParameters} may go to the server (a server-side prepared statement), so
 * their failures are reported too.
 */
@SuppressWarnings("deprecation") // setUnicodeStream is part of the interface delegated
final class PreparedStatementFacade extends StatementFacade implements PreparedStatement {
  private final PreparedStatement target;

  PreparedStatementFacade(PreparedStatement target, Connection routed) {
    super(target, routed);
    this.target = target;
  }

  @Override
  public void addBatch() throws SQLException {
    target.addBatch();
  }

  @Override
  public void clearParameters() throws SQLException {
    try {
      target.clearParameters();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean execute() throws SQLException {
    try {
      return target.execute();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    try {
      return target.executeLargeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    try {
      return results(target.executeQuery());
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int executeUpdate() throws SQLException {
    try {
      return target.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    try {
      return target.getMetaData();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    try {
      return target.getParameterMetaData();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void setArray(int parameterIndex, Array x) throws SQLException {
    target.setArray(parameterIndex, x);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
    target.setAsciiStream(parameterIndex, x);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
    target.setAsciiStream(parameterIndex, x, length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
    target.setAsciiStream(parameterIndex, x, length);
  }

  @Override
  public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
    target.setBigDecimal(parameterIndex, x);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
    target.setBinaryStream(parameterIndex, x);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
    target.setBinaryStream(parameterIndex, x, length);
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
    target.setBinaryStream(parameterIndex, x, length);
  }

  @Override
  public void setBlob(int parameterIndex, InputStream x) throws SQLException {
    target.setBlob(parameterIndex, x);
  }

  @Override
  public void setBlob(int parameterIndex, Blob x) throws SQLException {
    target.setBlob(parameterIndex, x);
  }

  @Override
  public void setBlob(int parameterIndex, InputStream x, long length) throws SQLException {
    target.setBlob(parameterIndex, x, length);
  }

  @Override
  public void setBoolean(int parameterIndex, boolean x) throws SQLException {
    target.setBoolean(parameterIndex, x);
  }

  @Override
  public void setByte(int parameterIndex, byte x) throws SQLException {
    target.setByte(parameterIndex, x);
  }

  @Override
  public void setBytes(int parameterIndex, byte[] x) throws SQLException {
    target.setBytes(parameterIndex, x);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader x) throws SQLException {
    target.setCharacterStream(parameterIndex, x);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader x, int length) throws SQLException {
    target.setCharacterStream(parameterIndex, x, length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader x, long length) throws SQLException {
    target.setCharacterStream(parameterIndex, x, length);
  }

  @Override
  public void setClob(int parameterIndex, Reader x) throws SQLException {
    target.setClob(parameterIndex, x);
  }

  @Override
  public void setClob(int parameterIndex, Clob x) throws SQLException {
    target.setClob(parameterIndex, x);
  }

  @Override
  public void setClob(int parameterIndex, Reader x, long length) throws SQLException {
    target.setClob(parameterIndex, x, length);
  }

  @Override
  public void setDate(int parameterIndex, Date x) throws SQLException {
    target.setDate(parameterIndex, x);
  }

  @Override
  public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
    target.setDate(parameterIndex, x, cal);
  }

  @Override
  public void setDouble(int parameterIndex, double x) throws SQLException {
    target.setDouble(parameterIndex, x);
  }

  @Override
  public void setFloat(int parameterIndex, float x) throws SQLException {
    target.setFloat(parameterIndex, x);
  }

  @Override
  public void setInt(int parameterIndex, int x) throws SQLException {
    target.setInt(parameterIndex, x);
  }

  @Override
  public void setLong(int parameterIndex, long x) throws SQLException {
    target.setLong(parameterIndex, x);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader x) throws SQLException {
    target.setNCharacterStream(parameterIndex, x);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader x, long length) throws SQLException {
    target.setNCharacterStream(parameterIndex, x, length);
  }

  @Override
  public void setNClob(int parameterIndex, Reader x) throws SQLException {
    target.setNClob(parameterIndex, x);
  }

  @Override
  public void setNClob(int parameterIndex, NClob x) throws SQLException {
    target.setNClob(parameterIndex, x);
  }

  @Override
  public void setNClob(int parameterIndex, Reader x, long length) throws SQLException {
    target.setNClob(parameterIndex, x, length);
  }

  @Override
  public void setNString(int parameterIndex, String x) throws SQLException {
    target.setNString(parameterIndex, x);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType) throws SQLException {
    target.setNull(parameterIndex, sqlType);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
    target.setNull(parameterIndex, sqlType, typeName);
  }

  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    target.setObject(parameterIndex, x);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    target.setObject(parameterIndex, x, targetSqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
    target.setObject(parameterIndex, x, targetSqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    target.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
    target.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setRef(int parameterIndex, Ref x) throws SQLException {
    target.setRef(parameterIndex, x);
  }

  @Override
  public void setRowId(int parameterIndex, RowId x) throws SQLException {
    target.setRowId(parameterIndex, x);
  }

  @Override
  public void setSQLXML(int parameterIndex, SQLXML x) throws SQLException {
    target.setSQLXML(parameterIndex, x);
  }

  @Override
  public void setShort(int parameterIndex, short x) throws SQLException {
    target.setShort(parameterIndex, x);
  }

  @Override
  public void setString(int parameterIndex, String x) throws SQLException {
    target.setString(parameterIndex, x);
  }

  @Override
  public void setTime(int parameterIndex, Time x) throws SQLException {
    target.setTime(parameterIndex, x);
  }

  @Override
  public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
    target.setTime(parameterIndex, x, cal);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
    target.setTimestamp(parameterIndex, x);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
    target.setTimestamp(parameterIndex, x, cal);
  }

  @Override
  public void setURL(int parameterIndex, URL x) throws SQLException {
    target.setURL(parameterIndex, x);
  }

  @Deprecated
  @Override
  public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
    target.setUnicodeStream(parameterIndex, x, length);
  }
}
