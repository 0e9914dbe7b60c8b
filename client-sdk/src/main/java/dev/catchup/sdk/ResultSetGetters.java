package dev.catchup.sdk;

import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * The getters of a {@link ResultSetFacade} for values and the result set's own properties, which
 * pass straight to the driver's result set (an object read from a column goes through
 * {@link JdbcFacade#wrap}, as everything handed out does); kept apart only so that each file stays
 * readable (see {@link ResultSetUpdates}).
 */
@SuppressWarnings("deprecation") // getBigDecimal(int, int) is part of the interface delegated
abstract sealed class ResultSetGetters extends ResultSetStreams permits ResultSetFacade {
  ResultSetGetters(ResultSet target, Connection routed) {
    super(target, routed);
  }

  @Override
  public Array getArray(String columnLabel) throws SQLException {
    return target.getArray(columnLabel);
  }

  @Override
  public Array getArray(int columnIndex) throws SQLException {
    return target.getArray(columnIndex);
  }

  @Override
  public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
    return target.getBigDecimal(columnLabel);
  }

  @Override
  public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
    return target.getBigDecimal(columnIndex);
  }

  @Deprecated
  @Override
  public BigDecimal getBigDecimal(String columnLabel, int scale) throws SQLException {
    return target.getBigDecimal(columnLabel, scale);
  }

  @Deprecated
  @Override
  public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
    return target.getBigDecimal(columnIndex, scale);
  }

  @Override
  public boolean getBoolean(String columnLabel) throws SQLException {
    return target.getBoolean(columnLabel);
  }

  @Override
  public boolean getBoolean(int columnIndex) throws SQLException {
    return target.getBoolean(columnIndex);
  }

  @Override
  public byte getByte(String columnLabel) throws SQLException {
    return target.getByte(columnLabel);
  }

  @Override
  public byte getByte(int columnIndex) throws SQLException {
    return target.getByte(columnIndex);
  }

  @Override
  public byte[] getBytes(String columnLabel) throws SQLException {
    return target.getBytes(columnLabel);
  }

  @Override
  public byte[] getBytes(int columnIndex) throws SQLException {
    return target.getBytes(columnIndex);
  }

  @Override
  public int getConcurrency() throws SQLException {
    return target.getConcurrency();
  }

  @Override
  public String getCursorName() throws SQLException {
    return target.getCursorName();
  }

  @Override
  public Date getDate(String columnLabel) throws SQLException {
    return target.getDate(columnLabel);
  }

  @Override
  public Date getDate(int columnIndex) throws SQLException {
    return target.getDate(columnIndex);
  }

  @Override
  public Date getDate(String columnLabel, Calendar cal) throws SQLException {
    return target.getDate(columnLabel, cal);
  }

  @Override
  public Date getDate(int columnIndex, Calendar cal) throws SQLException {
    return target.getDate(columnIndex, cal);
  }

  @Override
  public double getDouble(String columnLabel) throws SQLException {
    return target.getDouble(columnLabel);
  }

  @Override
  public double getDouble(int columnIndex) throws SQLException {
    return target.getDouble(columnIndex);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return target.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return target.getFetchSize();
  }

  @Override
  public float getFloat(String columnLabel) throws SQLException {
    return target.getFloat(columnLabel);
  }

  @Override
  public float getFloat(int columnIndex) throws SQLException {
    return target.getFloat(columnIndex);
  }

  @Override
  public int getHoldability() throws SQLException {
    return target.getHoldability();
  }

  @Override
  public int getInt(String columnLabel) throws SQLException {
    return target.getInt(columnLabel);
  }

  @Override
  public int getInt(int columnIndex) throws SQLException {
    return target.getInt(columnIndex);
  }

  @Override
  public long getLong(String columnLabel) throws SQLException {
    return target.getLong(columnLabel);
  }

  @Override
  public long getLong(int columnIndex) throws SQLException {
    return target.getLong(columnIndex);
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return target.getMetaData();
  }

  @Override
  public String getNString(String columnLabel) throws SQLException {
    return target.getNString(columnLabel);
  }

  @Override
  public String getNString(int columnIndex) throws SQLException {
    return target.getNString(columnIndex);
  }

  @Override
  public Object getObject(String columnLabel) throws SQLException {
    return handedOut(target.getObject(columnLabel));
  }

  @Override
  public Object getObject(int columnIndex) throws SQLException {
    return handedOut(target.getObject(columnIndex));
  }

  @Override
  public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
    return handedOut(target.getObject(columnLabel, type));
  }

  @Override
  public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
    return handedOut(target.getObject(columnLabel, map));
  }

  @Override
  public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
    return handedOut(target.getObject(columnIndex, type));
  }

  @Override
  public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
    return handedOut(target.getObject(columnIndex, map));
  }

  @Override
  public Ref getRef(String columnLabel) throws SQLException {
    return target.getRef(columnLabel);
  }

  @Override
  public Ref getRef(int columnIndex) throws SQLException {
    return target.getRef(columnIndex);
  }

  @Override
  public int getRow() throws SQLException {
    return target.getRow();
  }

  @Override
  public RowId getRowId(String columnLabel) throws SQLException {
    return target.getRowId(columnLabel);
  }

  @Override
  public RowId getRowId(int columnIndex) throws SQLException {
    return target.getRowId(columnIndex);
  }

  @Override
  public short getShort(String columnLabel) throws SQLException {
    return target.getShort(columnLabel);
  }

  @Override
  public short getShort(int columnIndex) throws SQLException {
    return target.getShort(columnIndex);
  }

  @Override
  public String getString(String columnLabel) throws SQLException {
    return target.getString(columnLabel);
  }

  @Override
  public String getString(int columnIndex) throws SQLException {
    return target.getString(columnIndex);
  }

  @Override
  public Time getTime(String columnLabel) throws SQLException {
    return target.getTime(columnLabel);
  }

  @Override
  public Time getTime(int columnIndex) throws SQLException {
    return target.getTime(columnIndex);
  }

  @Override
  public Time getTime(String columnLabel, Calendar cal) throws SQLException {
    return target.getTime(columnLabel, cal);
  }

  @Override
  public Time getTime(int columnIndex, Calendar cal) throws SQLException {
    return target.getTime(columnIndex, cal);
  }

  @Override
  public Timestamp getTimestamp(String columnLabel) throws SQLException {
    return target.getTimestamp(columnLabel);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex) throws SQLException {
    return target.getTimestamp(columnIndex);
  }

  @Override
  public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
    return target.getTimestamp(columnLabel, cal);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
    return target.getTimestamp(columnIndex, cal);
  }

  @Override
  public int getType() throws SQLException {
    return target.getType();
  }

  @Override
  public URL getURL(String columnLabel) throws SQLException {
    return target.getURL(columnLabel);
  }

  @Override
  public URL getURL(int columnIndex) throws SQLException {
    return target.getURL(columnIndex);
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return target.getWarnings();
  }

}
